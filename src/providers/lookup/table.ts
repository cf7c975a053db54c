// The lookup table: one safe read-only identity/scope call per provider (../shared/PROVIDERS.md),
// in the order they are tried for a rule that is not built in. Facts marked "unconfirmed" there stay
// soft here: unknown shapes give `unknown`, never a guess.

import { PLATFORM_LOOKUPS } from './platforms.js';
import { SERVICE_LOOKUPS } from './services.js';
import type { ProviderLookup } from './types.js';
import { UNCONFIRMED_LOOKUPS } from './unconfirmed.js';

export const LOOKUPS: readonly ProviderLookup[] = [...PLATFORM_LOOKUPS, ...SERVICE_LOOKUPS, ...UNCONFIRMED_LOOKUPS];
