// One spelling per provider: rule files name providers freely; every table keys on the canonical name.

/** "hugging-face", "HuggingFace", "hf" → "huggingface". */
export function canonicalProvider(provider: string): string {
  const p = provider.toLowerCase().replace(/[\s_]+/g, '-');
  return ALIASES[p] ?? p;
}

const ALIASES: Record<string, string> = {
  'hugging-face': 'huggingface',
  hf: 'huggingface',
  'docker-hub': 'docker',
  dockerhub: 'docker',
  'new-relic': 'newrelic',
  'digital-ocean': 'digitalocean',
  'google-cloud': 'gcp',
  google: 'gcp',
  'gcp-service-account': 'gcp',
  'hashicorp-vault': 'vault',
  hashicorp: 'vault',
  'azure-storage': 'azure',
  'azure-entra': 'entra',
  'entra-id': 'entra',
  'azure-ad': 'entra',
  microsoft: 'azure',
  jira: 'atlassian',
  confluence: 'atlassian',
  privatekey: 'private-key',
  'private-keys': 'private-key',
  ssh: 'private-key',
  pem: 'private-key',
  db: 'database',
  postgres: 'database',
  'database-uri': 'database',
  'grafana-cloud': 'grafana',
  'sentry-io': 'sentry',
};
