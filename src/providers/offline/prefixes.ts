// Facts told by a token's prefix (GitHub, Stripe, Slack and other prefix-typed tokens), and by
// its provider where the shape alone says nothing: a data table.

import { basicAuthParts } from '../../detect/checksum.js';
import { dopplerFacts, discordFacts, gitlabFacts, grafanaCloudFacts, pypiFacts, sentryFacts } from './tokens.js';
import { type FactFn, g } from './types.js';

export const PREFIX_FACTS: Array<[RegExp, FactFn]> = [
  [
    /^ghp_/,
    () => ({
      facts: ['classic personal access token: scopes are chosen per token and often broad (repo, admin:org)'],
      granular: { ok: false, why: 'classic PAT where a fine-grained PAT exists' },
    }),
  ],
  [
    /^github_pat_/,
    () => ({
      facts: ['fine-grained personal access token: limited to chosen repositories and permissions'],
      granular: { ok: true, why: 'fine-grained PAT' },
    }),
  ],
  [
    /^gho_/,
    () => ({
      facts: ['OAuth app token: carries the scopes the user granted the app'],
      granular: { ok: false, why: 'OAuth app scopes are coarse; a GitHub App is finer' },
    }),
  ],
  [
    /^ghu_/,
    () => ({
      facts: ['GitHub App user-to-server token: expires 8 hours after issue'],
      granular: { ok: true, why: 'GitHub App permissions' },
    }),
  ],
  [
    /^ghs_/,
    () => ({
      facts: ['GitHub App installation token: expires 1 hour after issue'],
      granular: { ok: true, why: 'GitHub App permissions' },
    }),
  ],
  [/^ghr_/, () => ({ facts: ['GitHub App refresh token: mints user tokens for up to 6 months'] })],
  [/^glpat-/, gitlabFacts],
  [
    /^gldt-/,
    () => ({
      facts: ['GitLab deploy token: registry and repository access only; no REST API'],
      granular: { ok: true, why: 'deploy token' },
    }),
  ],
  [/^glrt-/, () => ({ facts: ['GitLab runner token: only the runner API (job payloads may still hold secrets)'] })],
  [/^glcbt-/, () => ({ facts: ['GitLab CI job token: valid while its job runs'] })],
  [
    /^sk_live_/,
    () => ({
      environment: 'production',
      grants: [g('stripe account (all resources)', 'admin')],
      expiresAt: null,
      facts: ['Stripe secret key, live mode: full access to the whole account; never expires'],
      granular: { ok: false, why: 'secret key where a restricted key exists' },
    }),
  ],
  [
    /^sk_test_/,
    () => ({
      environment: 'test',
      grants: [g('stripe account (test mode)', 'admin')],
      expiresAt: null,
      facts: ['Stripe secret key, test mode: no access to live data'],
      granular: { ok: false, why: 'secret key where a restricted key exists' },
    }),
  ],
  [
    /^rk_live_/,
    () => ({
      environment: 'production',
      expiresAt: null,
      facts: ['Stripe restricted key, live mode: rights set per resource'],
      granular: { ok: true, why: 'restricted key' },
    }),
  ],
  [
    /^rk_test_/,
    () => ({
      environment: 'test',
      expiresAt: null,
      facts: ['Stripe restricted key, test mode'],
      granular: { ok: true, why: 'restricted key' },
    }),
  ],
  [
    /^pk_(live|test)_/,
    (s) => ({
      environment: s.startsWith('pk_live') ? 'production' : 'test',
      weaker: 'publishable key: meant to be public',
      facts: ['Stripe publishable key: public by design (client-side)'],
    }),
  ],
  [
    /^xoxb-/,
    () => ({
      facts: ['Slack bot token: the app’s bot scopes in one workspace'],
      granular: { ok: true, why: 'bot token' },
    }),
  ],
  [
    /^xoxp-/,
    () => ({
      facts: ['Slack user token: acts as the user who installed the app, in every channel they can see'],
      granular: { ok: false, why: 'user token where a bot token would do' },
    }),
  ],
  [/^xapp-/, () => ({ facts: ['Slack app-level token: connections (Socket Mode) and app configuration'] })],
  [/^xoxe\.xox[bp]-/, () => ({ facts: ['Slack rotating access token: expires 12 hours after issue'] })],
  [/^xoxe-/, () => ({ facts: ['Slack refresh token: mints new rotating tokens'] })],
  [
    /^xox[cd]-/,
    () => ({
      stronger: 'browser session token',
      facts: ['Slack session token (xoxc/xoxd): a logged-in browser session, every right of the user'],
      granular: { ok: false, why: 'session token' },
    }),
  ],
  [
    /^xox[arso]-/,
    () => ({ facts: ['Slack legacy token type (deprecated)'], granular: { ok: false, why: 'legacy token' } }),
  ],
  [
    /^https:\/\/hooks\.slack\.com\/services\//,
    (s) => ({
      identity: /\/services\/(T[A-Z0-9]+)\//.exec(s)?.[1],
      grants: [g('one Slack channel', 'write')],
      facts: ['Slack incoming webhook: posts messages to one channel'],
    }),
  ],
  [
    /^npm_/,
    () => ({ facts: ['npm granular access token (classic tokens were revoked on 2025-11-05); rights not encoded'] }),
  ],
  [/^pypi-/, pypiFacts],
  [/^dckr_pat_/, () => ({ facts: ['Docker Hub personal access token: reaches every repository its user can'] })],
  [
    /^dckr_oat_/,
    () => ({
      facts: ['Docker Hub organization access token: per-repository scopes'],
      granular: { ok: true, why: 'organization access token' },
    }),
  ],
  [/^hf_/, () => ({ facts: ['Hugging Face user access token (role read, write or fine-grained)'] })],
  [/^api_org_/, () => ({ facts: ['Hugging Face organization API token (deprecated)'] })],
  [
    /^sk-admin-/,
    () => ({
      stronger: 'organization admin key',
      grants: [g('openai organization', 'admin')],
      facts: ['OpenAI admin key: manages the whole organization (keys, users, projects)'],
      granular: { ok: false, why: 'admin key' },
    }),
  ],
  [/^sk-proj-/, () => ({ facts: ['OpenAI project key: one project'] })],
  [
    /^sk-svcacct-/,
    () => ({
      facts: ['OpenAI service-account key: one project, not tied to a person'],
      granular: { ok: true, why: 'service-account key' },
    }),
  ],
  [
    /^sk-ant-admin01-/,
    () => ({
      stronger: 'organization admin key',
      grants: [g('anthropic organization', 'admin')],
      expiresAt: null,
      facts: ['Anthropic Admin API key: manages the organization'],
      granular: { ok: false, why: 'admin key' },
    }),
  ],
  [
    /^sk-ant-api03-/,
    () => ({
      grants: [g('anthropic workspace', 'write')],
      expiresAt: null,
      facts: ['Anthropic API key: the whole workspace; never expires'],
    }),
  ],
  [
    /^sk-[A-Za-z0-9]{20}T3BlbkFJ/,
    () => ({
      facts: ['OpenAI legacy user key: every project of the user'],
      granular: { ok: false, why: 'legacy user key' },
    }),
  ],
  [
    /^SG\.[A-Za-z0-9_-]{16,32}\./,
    () => ({ facts: ['SendGrid API key: scopes are set per key (full access is common)'] }),
  ],
  [/^AC[0-9a-f]{32}$/, () => ({ facts: ['Twilio account SID (an identifier; the secret is its Auth Token)'] })],
  [/^SK[0-9a-f]{32}$/, () => ({ facts: ['Twilio API key SID'] })],
  [/^pubkey-/, () => ({ weaker: 'public validation key', facts: ['Mailgun public validation key'] })],
  [
    /^key-[0-9a-f]{32}$/,
    () => ({
      expiresAt: null,
      facts: ['Mailgun legacy primary API key: full account access'],
      granular: { ok: false, why: 'primary account key' },
    }),
  ],
  [/^shpat_/, () => ({ facts: ['Shopify admin API access token (custom app)'] })],
  [/^shpca_/, () => ({ facts: ['Shopify custom app access token'] })],
  [/^shppa_/, () => ({ facts: ['Shopify private app access token'] })],
  [/^shpss_/, () => ({ facts: ['Shopify app shared secret: signs webhooks and OAuth'] })],
  [/^dop_v1_/, () => ({ facts: ['DigitalOcean personal access token'] })],
  [/^doo_v1_/, () => ({ facts: ['DigitalOcean OAuth token'] })],
  [
    /^dor_v1_/,
    () => ({ facts: ['DigitalOcean refresh token (never exchanged during analysis: that would rotate the pair)'] }),
  ],
  [/^HRKU-/, () => ({ facts: ['Heroku API key'] })],
  [/^cfut_/, () => ({ facts: ['Cloudflare user API token'] })],
  [/^cfat_/, () => ({ facts: ['Cloudflare account API token'], granular: { ok: true, why: 'account-owned token' } })],
  [
    /^cfk_/,
    () => ({
      stronger: 'global API key',
      grants: [g('cloudflare user (every account and zone)', 'admin')],
      expiresAt: null,
      facts: ['Cloudflare global API key: everything its user can do'],
      granular: { ok: false, why: 'global key where scoped tokens exist' },
    }),
  ],
  [/^hvs\./, () => ({ facts: ['Vault service token (the Vault address is not part of it)'] })],
  [/^hvb\./, () => ({ facts: ['Vault batch token: short-lived, not renewable'] })],
  [/^hvr\./, () => ({ stronger: 'recovery token', facts: ['Vault recovery token'] })],
  [
    /^ATCTT3/,
    () => ({
      stronger: 'organization admin key',
      grants: [g('atlassian organization', 'admin')],
      facts: ['Atlassian organization admin API key'],
    }),
  ],
  [/^ATATT3/, () => ({ facts: ['Atlassian user API token: the rights of its user on one site'] })],
  [/^lin_api_/, () => ({ facts: ['Linear personal API key: capped by its user’s role'] })],
  [/^PMAK-/, () => ({ facts: ['Postman API key: reaches everything its user can'] })],
  [/^dapi[0-9a-f]{32}/, () => ({ facts: ['Databricks personal access token: works only on its workspace'] })],
  [/^dp\.(pt|ct|st|sa|scim|audit)\./, dopplerFacts],
  [/^sntrys_/, sentryFacts],
  [/^sntryu_/, () => ({ facts: ['Sentry user auth token'] })],
  [/^glsa_/, () => ({ facts: ['Grafana service account token'] })],
  [/^glc_/, grafanaCloudFacts],
  [
    /^ntn_|^secret_[A-Za-z0-9]{43}$/,
    () => ({ facts: ['Notion integration token: pages shared with the integration'] }),
  ],
  [/^pat[A-Za-z0-9]{14}\.[0-9a-f]{64}$/, () => ({ facts: ['Airtable personal access token'] })],
  [/^(EAAA|sq0atp-)/, () => ({ facts: ['Square access token (EAAA does not tell sandbox from production)'] })],
  [/^sq0csp-/, () => ({ facts: ['Square application secret'] })],
  [/^sandbox-sq0/, () => ({ environment: 'test', facts: ['Square sandbox credential'] })],
  [
    /^[0-9a-f]{32}-us\d{1,2}$/,
    (s) => ({ facts: [`Mailchimp API key for data center ${/-(us\d{1,2})$/.exec(s)![1]}`] }),
  ],
  [/^NRAK-/, () => ({ facts: ['New Relic user API key: its user’s rights'] })],
  [
    /^NRII-|^NRJS-|^NRIQ-/,
    (s) => ({
      weaker: 'ingest or query key',
      facts: [s.startsWith('NRIQ') ? 'New Relic query key: read-only' : 'New Relic ingest key: can only send data'],
    }),
  ],
  [/^[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,40}$/, discordFacts],
  [
    /^\d{5,16}:[A-Za-z0-9_-]{35}$/,
    (s) => ({ identity: `bot ${s.split(':')[0]}`, facts: [`Telegram bot token for bot id ${s.split(':')[0]}`] }),
  ],
];

export const PROVIDER_FACTS: Record<string, FactFn> = {
  okta: () => ({ facts: ['Okta API token: its creator’s admin role; not looked up by default (any call renews it)'] }),
  datadog: (s) => ({
    facts: [
      s.length === 40
        ? 'Datadog application key: acts as its owner (with an API key)'
        : 'Datadog API key: submits metrics, logs and events (data injection), reads nothing alone',
    ],
  }),
  azure: (s) =>
    s.length >= 86 && s.endsWith('==')
      ? {
          grants: [g('azure storage account (all services)', 'admin')],
          expiresAt: null,
          facts: ['Azure storage account key: full control of the account; never expires'],
          granular: { ok: false, why: 'account key where Entra RBAC or a user-delegation SAS exists' },
        }
      : { facts: [] },
  entra: () => ({ facts: ['Entra ID client secret: app-only access with the app’s application permissions'] }),
  docker: (s) => {
    // A Docker config's "auth": base64("user:password"), sent as HTTP basic auth to its registry.
    const basic = basicAuthParts(s);
    if (!basic) return { facts: [] };
    return { identity: basic.user, facts: [`registry user ${basic.user} (decoded from the base64 auth entry)`] };
  },
};
