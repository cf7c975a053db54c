// Where to revoke each provider's credentials, and the least-privilege credential to use instead
// (from ../shared/PROVIDERS.md). A rule's own `remediation:` wins over this table.

import { canonicalProvider } from './names.js';

export interface Remediation {
  readonly revoke: string;
  readonly replaceWith: string;
}

export const PROVIDER_REMEDIATION: Readonly<Record<string, Remediation>> = {
  github: {
    revoke: 'https://github.com/settings/tokens (or report it: https://docs.github.com/en/rest/credentials/revoke)',
    replaceWith: 'A fine-grained PAT with an expiry, or a GitHub App.',
  },
  gitlab: {
    revoke: 'Owner UI: User settings → Access tokens (or DELETE /personal_access_tokens/self, run by the owner)',
    replaceWith: 'A project/group or deploy token with read_api, expiring within 365 days.',
  },
  slack: {
    revoke: 'https://api.slack.com/methods/auth.revoke (run by the owner) or the app’s OAuth settings',
    replaceWith: 'A bot token with granular scopes and token rotation.',
  },
  stripe: {
    revoke: 'https://dashboard.stripe.com/apikeys (roll the key; a roll can keep the old key alive a while)',
    replaceWith: 'A restricted key per service.',
  },
  aws: {
    revoke:
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html (deactivate, then delete)',
    replaceWith: 'IAM roles, IAM Identity Center, or OIDC federation for CI.',
  },
  gcp: {
    revoke: 'https://cloud.google.com/iam/docs/keys-disable-enable',
    replaceWith: 'Service account impersonation or Workload Identity Federation.',
  },
  azure: {
    revoke:
      'Rotate key1/key2 (https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage); revoke SAS ' +
      'via its stored access policy',
    replaceWith: 'AllowSharedKeyAccess=false with Entra RBAC, user-delegation SAS, managed identity.',
  },
  entra: {
    revoke: 'Entra admin center → App registrations → Certificates & secrets',
    replaceWith: 'A managed identity or workload identity federation.',
  },
  npm: {
    revoke: 'https://docs.npmjs.com/about-access-tokens (npm token revoke)',
    replaceWith: 'A read-only granular token, or trusted publishing.',
  },
  pypi: {
    revoke: 'PyPI account settings → API tokens',
    replaceWith: 'A project-scoped token, or Trusted Publishing.',
  },
  docker: {
    revoke: 'https://docs.docker.com/security/access-tokens/',
    replaceWith: 'A read-only PAT or a repository-scoped organization access token.',
  },
  huggingface: {
    revoke: 'https://huggingface.co/settings/tokens',
    replaceWith: 'A fine-grained token per repository; OIDC for CI.',
  },
  openai: {
    revoke: 'https://platform.openai.com/api-keys',
    replaceWith: 'A service-account key with Restricted or Read Only permissions.',
  },
  anthropic: {
    revoke: 'https://console.anthropic.com/settings/keys',
    replaceWith: 'A key in a workspace per workload; no admin keys in applications.',
  },
  sendgrid: {
    revoke: 'https://app.sendgrid.com/settings/api_keys',
    replaceWith: 'A Restricted Access key with only mail.send.',
  },
  twilio: {
    revoke: 'https://www.twilio.com/docs/iam/api-keys/keys-in-console (Auth Token: promote the secondary)',
    replaceWith: 'Restricted API keys; no Auth Token in production.',
  },
  mailgun: {
    revoke: 'https://app.mailgun.com/settings/api_security',
    replaceWith: 'A domain sending key, or an RBAC key with an expiry.',
  },
  shopify: {
    revoke: 'Shopify admin → Apps → the custom app → API credentials (uninstall or rotate)',
    replaceWith: 'A token with only the read_* scopes needed.',
  },
  digitalocean: {
    revoke: 'https://cloud.digitalocean.com/account/api/tokens',
    replaceWith: 'A custom-scoped token with an expiry.',
  },
  heroku: {
    revoke: 'heroku authorizations:revoke <id>',
    replaceWith: 'heroku authorizations:create --scope … --expires-in …',
  },
  cloudflare: {
    revoke: 'https://dash.cloudflare.com/profile/api-tokens',
    replaceWith: 'A scoped account token with IP limits and an expiry.',
  },
  datadog: {
    revoke: 'Datadog → Organization settings → API / Application keys',
    replaceWith: 'Scoped application keys on service accounts.',
  },
  vault: {
    revoke: 'vault token revoke (run by an operator)',
    replaceWith: 'Short-TTL tokens from an auth method, with narrow policies.',
  },
  atlassian: {
    revoke: 'https://id.atlassian.com/manage-profile/security/api-tokens',
    replaceWith: 'A scoped API token with an expiry.',
  },
  linear: {
    revoke: 'Linear → Settings → Security & access → API keys',
    replaceWith: 'A read-only, team-limited key from a service user.',
  },
  discord: {
    revoke: 'Discord Developer Portal → the application → Bot → Reset Token',
    replaceWith: 'A bot with minimal permission bits.',
  },
  telegram: { revoke: '@BotFather /revoke', replaceWith: 'A bot with privacy mode on and groups off unless needed.' },
  postman: {
    revoke: 'https://go.postman.co/settings/me/api-keys',
    replaceWith: 'An expiring key, or a collection access key.',
  },
  databricks: {
    revoke: 'Workspace → User settings → Developer → Access tokens',
    replaceWith: 'OAuth machine-to-machine credentials, or a scoped PAT.',
  },
  doppler: {
    revoke: 'Delete the token where it was created (dashboard → Access)',
    replaceWith: 'A read-only, expiring service token per config, or a service account.',
  },
  sentry: {
    revoke: 'Sentry → Settings → Auth Tokens / Personal Tokens',
    replaceWith: 'An organization token for CI, or an internal integration with minimal scopes.',
  },
  grafana: {
    revoke: 'Grafana → Administration → Service accounts / Cloud → Access Policies',
    replaceWith: 'A minimal-role service account with an expiry; write-only policies for shippers.',
  },
  notion: {
    revoke: 'https://www.notion.so/my-integrations',
    replaceWith: 'An integration with only the needed capabilities, shared with few pages.',
  },
  airtable: {
    revoke: 'https://airtable.com/create/tokens',
    replaceWith: 'A token with minimal scopes and explicit bases.',
  },
  square: {
    revoke: 'Square Developer Dashboard → the application → credentials',
    replaceWith: 'OAuth tokens with minimal scopes, short_lived.',
  },
  mailchimp: { revoke: 'Mailchimp → Account → Extras → API keys', replaceWith: 'A key created by a low-role user.' },
  newrelic: {
    revoke: 'https://one.newrelic.com/api-keys',
    replaceWith: 'Ingest keys for agents; user keys only for limited users.',
  },
  okta: {
    revoke: 'Okta Admin Console → Security → API → Tokens',
    replaceWith: 'An OAuth service app with scoped, short-lived tokens.',
  },
  jwt: { revoke: 'Rotate the signing key or end the session', replaceWith: 'Short exp and narrow aud/scope.' },
  'private-key': {
    revoke: 'Remove the public key from authorized_keys, hosts, deploy keys and CAs',
    replaceWith: 'Read-only deploy keys, SSH certificates, hardware-backed keys.',
  },
  database: {
    revoke: 'Change the password or drop the user',
    replaceWith: 'A per-application role with only the needed grants, TLS and network allow-lists.',
  },
  url: {
    revoke: 'Change the credential and purge logs that hold the URL',
    replaceWith: 'Header tokens from a secret store; a read-only account.',
  },
};

export function remediationFor(provider: string): Remediation | undefined {
  return PROVIDER_REMEDIATION[canonicalProvider(provider)];
}
