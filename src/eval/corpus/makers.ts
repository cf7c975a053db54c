// Positives and their surroundings: one maker per kind of file (a table of generators).

import { ALPHABETS } from '../../detect/template.js';
import { jsonInner, type Maker } from './gen.js';

// ---------------------------------------------------------------------------------------------
// Positives and their surroundings, one maker per kind of file. Each maker also writes the benign
// lines such a file really has.

export const MAKERS: Record<string, Maker> = {
  dotenv(g, f, i) {
    const b = f(`${g.pick(['app', 'api', 'worker', 'web'])}-${i}/.env${g.pick(['', '.production', '.local'])}`);
    b.add(`NODE_ENV=production`)
      .add(`PORT=${g.int(3000, 9000)}`)
      .add(`LOG_LEVEL=info`);
    b.add(`DB_HOST=${g.host()}`).add(`DB_USER=${g.user()}`);
    b.add(
      `${g.pick(['DB_PASSWORD', 'POSTGRES_PASSWORD', 'MYSQL_PASSWORD', 'DATABASE_PASS', 'REDIS_PASSWORD'])}=` +
        `${g.password()}`,
      'password',
      '.env password',
    );
    b.add(
      `${g.pick(['SECRET_KEY', 'JWT_SECRET', 'SESSION_SECRET', 'APP_SECRET'])}=${g.secret()}`,
      'secret',
      '.env secret',
    );
    b.add(
      `${g.pick(['SENDGRID_KEY', 'MAPS_API_KEY', 'PAYMENT_API_KEY', 'ANALYTICS_KEY'])}=${g.s('an', 32)}${g.int(1, 9)}`,
      'secret',
      '.env api key',
    );
    b.add(`REQUEST_ID_HEADER=x-request-id`)
      .add(`FEATURE_FLAGS=search,checkout`)
      .add(`BUILD_SHA=${g.s('hex', 40)}`);
    b.add(`SENTRY_ENVIRONMENT=production`).add(`# SMTP_PASSWORD= set in the vault`);
  },
  yaml(g, f, i) {
    const b = f(`services/${i}/config/application.yml`);
    b.add(
      `server:\n  port: 8080\nspring:\n  datasource:\n    url: jdbc:postgresql://${g.host()}:5432/app\n    ` +
        `username: ${g.user()}`,
    );
    b.add(`    password: ${g.password()}`, 'password', 'spring datasource password');
    b.add(`  mail:\n    host: smtp.${g.s('lower', 6)}.net\n    port: 587`);
    b.add(`    password: "${g.password()}"`, 'password', 'spring mail password');
    b.add(`app:\n  jwt:\n    expiration: 3600`);
    b.add(`    secret: ${g.secret()}`, 'secret', 'yaml jwt secret');
    b.add(`  cache:\n    ttl: 600\n    key-prefix: app\n  instance-id: ${g.uuid()}`);
  },
  json(g, f, i) {
    const b = f(`src/Api${i}/appsettings.Production.json`);
    const pw = g.password().replace(/[;"\\]/g, 'x');
    b.add(
      `{\n  "Logging": { "LogLevel": { "Default": "Information" } },\n  "AllowedHosts": "*",\n  ` +
        `"ConnectionStrings": {`,
    );
    b.add(
      `    "Default": "Server=tcp:${g.host()},1433;Initial Catalog=app;User ` +
        `ID=${g.user()};Password=${pw};Encrypt=True;"`,
      'connection-string',
      'ADO.NET connection string',
    );
    b.add(`  },\n  "Payments": {\n    "Endpoint": "https://api.payments.internal/v2",`);
    b.add(`    "ApiKey": "${g.s('an', 32)}${g.int(1, 9)}",`, 'secret', 'json ApiKey');
    b.add(`    "ClientSecret": "${g.secret()}",`, 'secret', 'json ClientSecret');
    b.add(`    "TenantId": "${g.uuid()}",\n    "TimeoutSeconds": 30\n  }\n}`);
  },
  mavenSettings(g, f, i) {
    const b = f(`ci/${i}/settings.xml`);
    b.add(`<settings>\n  <servers>\n    <server>\n      <id>releases</id>\n      <username>${g.user()}</username>`);
    b.add(`      <password>${g.password().replace(/[<&]/g, 'x')}</password>`, 'password', 'maven settings.xml');
    b.add(
      `    </server>\n    <server>\n      <id>snapshots</id>\n      <username>\${env.MAVEN_USER}</username>\n      ` +
        `<password>\${env.MAVEN_PASSWORD}</password>\n    </server>\n  </servers>\n</settings>`,
    );
  },
  webConfig(g, f, i) {
    const b = f(`legacy/Site${i}/Web.config`);
    b.add(
      `<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <appSettings>\n    <add key="PageSize" value="25" ` +
        `/>`,
    );
    b.add(
      `    <add key="SmtpPassword" value="${g.password().replace(/[<&"]/g, 'x')}" />`,
      'password',
      'web.config appSettings',
    );
    b.add(`    <add key="ClientValidationEnabled" value="true" />\n  </appSettings>\n  <connectionStrings>`);
    b.add(
      `    <add name="Main" connectionString="Data Source=${g.host()};Initial Catalog=Shop;User ` +
        `Id=${g.user()};Password=${g.s('an', 14)};" providerName="System.Data.SqlClient" />`,
      'connection-string',
      'web.config connection string',
    );
    b.add(`  </connectionStrings>\n</configuration>`);
  },
  filezilla(g, f, i) {
    const b = f(`home/user${i}/.config/filezilla/sitemanager.xml`);
    b.add(
      `<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3 version="3.66.0">\n  <Servers>\n    <Server>\n      ` +
        `<Host>ftp.${g.s('lower', 7)}.com</Host>\n      <Port>21</Port>\n      <User>${g.user()}</User>`,
    );
    b.add(
      `      <Pass encoding="base64">${Buffer.from(g.password()).toString('base64')}</Pass>`,
      'password',
      'FileZilla saved password',
    );
    b.add(`      <Name>prod</Name>\n    </Server>\n  </Servers>\n</FileZilla3>`);
  },
  winscp(g, f, i) {
    const b = f(`home/user${i}/WinSCP.ini`);
    b.add(`[Sessions\\deploy@${g.host()}]\nHostName=${g.host()}\nUserName=${g.user()}`);
    b.add(`Password=${g.s('HEX', 48)}`, 'password', 'WinSCP saved session');
    b.add(`PortNumber=22\nFSProtocol=2`);
  },
  ini(g, f, i) {
    const b = f(`etc/app${i}/my.cnf`);
    b.add(`[client]\nhost = ${g.host()}\nport = 3306\nuser = ${g.user()}`);
    b.add(`password = ${g.password()}`, 'password', 'ini password');
    b.add(`[mysqld]\nmax_connections = 200\ncharacter-set-server = utf8mb4`);
  },
  properties(g, f, i) {
    const b = f(`src/main/resources/application-${i}.properties`);
    b.add(
      `spring.application.name=orders\nspring.datasource.url=jdbc:mysql://${g.host()}:3306/orders\n` +
        `spring.datasource.username=${g.user()}`,
    );
    b.add(`spring.datasource.password=${g.password()}`, 'password', 'properties password');
    b.add(`spring.jpa.hibernate.ddl-auto=validate\nmanagement.endpoints.web.exposure.include=health,info`);
    b.add(`aws.secretKey=${g.s('b64', 40)}`, 'secret', 'properties secret key');
  },
  toml(g, f, i) {
    const b = f(`deploy/${i}/config.toml`);
    b.add(`title = "worker"\n\n[database]\nhost = "${g.host()}"\nport = 5432\nuser = "${g.user()}"`);
    b.add(`password = "${g.password()}"`, 'password', 'toml password');
    b.add(`\n[api]\nbase_url = "https://api.internal/v1"\ntimeout = 30`);
    b.add(`token = "${g.secret()}"`, 'secret', 'toml token');
  },
  wpConfig(g, f, i) {
    const b = f(`sites/blog${i}/wp-config.php`);
    b.add(`<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', '${g.user()}' );`);
    b.add(`define( 'DB_PASSWORD', '${g.password().replace(/'/g, 'q')}' );`, 'password', 'wp-config DB_PASSWORD');
    b.add(`define( 'DB_HOST', 'localhost' );\ndefine( 'DB_CHARSET', 'utf8mb4' );`);
    let salt = '';
    const alpha = ALPHABETS.an! + '!@#%^&*()-_[]{}<>~+=,.;:/?|';
    for (let k = 0; k < 64; k++) salt += alpha[g.rng.int(alpha.length)];
    b.add(`define('AUTH_KEY',         '${salt}');`, 'password', 'wp-config salt');
    b.add(`$table_prefix = 'wp_';\ndefine( 'WP_DEBUG', false );`);
  },
  laravel(g, f, i) {
    const b = f(`app${i}/config/database.php`);
    b.add(
      `<?php\nreturn [\n    'default' => env('DB_CONNECTION', 'mysql'),\n    'connections' => [\n        'mysql' => ` +
        `[\n            'driver' => 'mysql',\n            'host' => '${g.host()}',\n            'username' => ` +
        `'${g.user()}',`,
    );
    b.add(`            'password' => '${g.password().replace(/'/g, 'q')}',`, 'password', 'php array password');
    b.add(`            'charset' => 'utf8mb4',\n        ],\n    ],\n];`);
  },
  django(g, f, i) {
    const b = f(`proj${i}/proj/settings.py`);
    b.add(`from pathlib import Path\nimport os\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n`);
    let key = 'django-insecure-';
    const alpha = 'abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)';
    for (let k = 0; k < 50; k++) key += alpha[g.rng.int(alpha.length)];
    b.add(`SECRET_KEY = '${key}'`, 'secret', 'Django SECRET_KEY');
    b.add(
      `DEBUG = False\nALLOWED_HOSTS = ["app.internal"]\n\nDATABASES = {\n    "default": {\n        "ENGINE": ` +
        `"django.db.backends.postgresql",\n        "NAME": "app",\n        "USER": "${g.user()}",`,
    );
    b.add(`        "PASSWORD": "${g.password()}",`, 'password', 'Django DATABASES password');
    b.add(`        "HOST": os.environ.get("DB_HOST", "localhost"),\n    }\n}`);
  },
  python(g, f, i) {
    const b = f(`scripts/sync_${i}.py`);
    b.add(`import requests\n\nBASE = "https://api.vendor.internal/v3"`);
    b.add(`api_key = "${g.secret()}"`, 'secret', 'python api_key');
    b.add(
      `\ndef fetch(path):\n    r = requests.get(BASE + path, headers={"X-Api-Key": api_key}, timeout=10)\n    ` +
        `r.raise_for_status()\n    return r.json()\n`,
    );
    b.add(
      `conn = psycopg2.connect(host="${g.host()}", user="${g.user()}", password="${g.password()}")`,
      'password',
      'python connect() password',
    );
    b.add(
      `resp = requests.get(BASE + "/export", auth=("${g.user()}", "${g.s('an', 16)}"))`,
      'password',
      'python auth tuple',
    );
    b.add(`server = smtplib.SMTP_SSL("smtp.${g.s('lower', 6)}.net", 465)`);
    b.add(`server.login("alerts@${g.s('lower', 6)}.com", "${g.s('an', 14)}")`, 'password', 'smtplib login');
    b.add(
      `dsn = "host=${g.host()} dbname=app user=${g.user()} password=${g.s('an', 14)} sslmode=require"`,
      'password',
      'libpq keyword DSN',
    );
    b.add(`session.auth = (username, password)\nserver.login(user, os.environ["SMTP_PASSWORD"])`);
  },
  javascript(g, f, i) {
    const b = f(`web/src/lib/client${i}.js`);
    b.add(`import axios from 'axios';\n\nconst BASE_URL = 'https://api.vendor.internal';`);
    b.add(`const apiSecret = '${g.secret()}';`, 'secret', 'js const apiSecret');
    b.add(`\nexport const client = axios.create({\n  baseURL: BASE_URL,\n  timeout: 5000,`);
    b.add(
      `  auth: { username: '${g.user()}', password: '${g.password().replace(/'/g, 'q')}' },`,
      'password',
      'js object password',
    );
    b.add(
      `});\n\nexport function withToken(token) {\n  return { headers: { Authorization: \`Bearer \${token}\` } };\n}`,
    );
  },
  go(g, f, i) {
    const b = f(`internal/store${i}/db.go`);
    b.add(`package store\n\nimport "database/sql"\n\nconst (\n\tdbUser = "${g.user()}"`);
    b.add(`\tdbPassword = "${g.password().replace(/"/g, 'q')}"`, 'password', 'go const password');
    b.add(`)\n\nfunc Open() (*sql.DB, error) {`);
    b.add(`\tapiToken := "${g.secret()}"`, 'secret', 'go := token');
    b.add(`\t_ = apiToken\n\treturn sql.Open("postgres", "host=db user="+dbUser+" password="+dbPassword)\n}`);
  },
  java(g, f, i) {
    const b = f(`src/main/java/com/acme/Config${i}.java`);
    b.add(`package com.acme;\n\npublic final class Config${i} {\n    public static final int TIMEOUT = 30;`);
    b.add(
      `    private static final String DB_PASSWORD = "${g.password().replace(/["\\]/g, 'q')}";`,
      'password',
      'java constant password',
    );
    b.add(`    private static final String CLIENT_SECRET = "${g.secret()}";`, 'secret', 'java constant secret');
    b.add(`    public String password(User u) { return u.getPassword(); }\n}`);
  },
  ruby(g, f, i) {
    const b = f(`rails${i}/config/secrets.yml`);
    b.add(`development:\n  secret_key_base: ${g.s('hex', 128)}`, 'secret', 'Rails secrets.yml dev', 1);
    b.add(`production:\n  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>`);
    const c = f(`rails${i}/config/initializers/smtp.rb`);
    c.add(
      `ActionMailer::Base.smtp_settings = {\n  address: "smtp.${g.s('lower', 6)}.net",\n  port: 587,\n  user_name: ` +
        `"${g.user()}",`,
    );
    c.add(`  password: "${g.password().replace(/["\\#]/g, 'q')}",`, 'password', 'ruby hash password');
    c.add(`  authentication: :plain,\n  enable_starttls_auto: true\n}`);
  },
  shell(g, f, i) {
    const b = f(`ops/deploy${i}.sh`);
    b.add(`#!/usr/bin/env bash\nset -euo pipefail\n\nREGION=eu-west-1`);
    b.add(`export DEPLOY_TOKEN="${g.secret()}"`, 'secret', 'shell export token');
    b.add(`echo "deploying $(git rev-parse --short HEAD)"`);
    b.add(
      `sshpass -p '${g.s('an', 14)}' ssh ${g.user()}@10.0.${g.int(0, 9)}.${g.int(2, 250)} 'sudo systemctl restart ` +
        `app'`,
      'password',
      'sshpass -p',
    );
    b.add(`mysql -h ${g.host()} -u root -p${g.s('an', 12)} app < migrate.sql`, 'password', 'mysql -p');
    b.add(
      `curl -fsS -u ${g.user()}:${g.s('an', 20)} https://ci.internal/job/build/buildWithParameters`,
      'password',
      'curl -u',
    );
  },
  compose(g, f, i) {
    const b = f(`stack${i}/docker-compose.yml`);
    b.add(`services:\n  db:\n    image: postgres:16\n    environment:`);
    b.add(`      - POSTGRES_PASSWORD=${g.password()}`, 'password', 'compose environment list');
    b.add(`      - POSTGRES_DB=app\n  app:\n    image: registry.internal/app:1.4.2\n    environment:`);
    b.add(`      API_SECRET: ${g.secret()}`, 'secret', 'compose environment map');
    b.add(`      DB_PASSWORD: \${DB_PASSWORD}\n    ports:\n      - "8080:8080"`);
  },
  terraform(g, f, i) {
    const b = f(`infra/${i}/main.tf`);
    b.add(
      `resource "aws_db_instance" "main" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n  ` +
        `username       = "${g.user()}"`,
    );
    b.add(`  password       = "${g.password().replace(/["\\$]/g, 'q')}"`, 'password', 'terraform password');
    b.add(`}\n\nprovider "azurerm" {\n  features {}\n  client_id     = "${g.uuid()}"`);
    b.add(`  client_secret = "${g.s('an', 34)}${g.int(1, 9)}"`, 'secret', 'terraform client_secret');
    b.add(`  tenant_id     = "${g.uuid()}"\n}`);
  },
  netrc(g, f, i) {
    const b = f(`home/u${i}/.netrc`);
    b.add(
      `machine api.${g.s('lower', 6)}.com login ${g.user()} password ${g.secret()}`,
      'credential-file',
      '.netrc one line',
    );
    b.add(
      `machine git.internal\n  login ${g.user()}\n  password ${g.password()}`,
      'credential-file',
      '.netrc block',
      2,
    );
  },
  pgpass(g, f, i) {
    const b = f(`home/u${i}/.pgpass`);
    b.add(`${g.host()}:5432:app:${g.user()}:${g.password().replace(/[:\\]/g, 'q')}`, 'credential-file', '.pgpass');
    b.add(`*:*:*:replicator:${g.s('an', 24)}`, 'credential-file', '.pgpass wildcard');
  },
  gitCredentials(g, f, i) {
    const b = f(`home/u${i}/.git-credentials`);
    b.add(
      `https://${g.user()}:${g.s('an', 24)}@git.${g.s('lower', 6)}.internal`,
      'connection-string',
      '.git-credentials',
    );
  },
  npmrc(g, f, i) {
    const b = f(`pkg${i}/.npmrc`);
    b.add(`registry=https://registry.npmjs.org/\n@acme:registry=https://npm.acme.internal/`);
    b.add(`//npm.acme.internal/:_authToken=${g.uuid()}`, 'secret', '.npmrc _authToken');
    b.add(
      `//nexus.internal/repository/npm/:_auth=${Buffer.from(`${g.user()}:${g.password()}`).toString('base64')}`,
      'secret',
      '.npmrc _auth',
    );
    b.add(`always-auth=true`);
  },
  dockerConfig(g, f, i) {
    const b = f(`home/u${i}/.docker/config.json`);
    b.add(`{\n  "auths": {\n    "registry.${g.s('lower', 5)}.internal": {`);
    b.add(
      `      "auth": "${Buffer.from(`${g.user()}:${g.secret()}`).toString('base64')}"`,
      'secret',
      'docker config auth',
    );
    b.add(`    }\n  },\n  "credsStore": "desktop"\n}`);
  },
  htpasswd(g, f, i) {
    const b = f(`etc/nginx${i}/.htpasswd`);
    b.add(`${g.user()}:$apr1$${g.s('an', 8)}$${g.s('an', 22).replace(/[+]/g, '.')}`, 'password-hash', 'htpasswd apr1');
    b.add(`ops:$2y$10$${g.s('an', 53)}`, 'password-hash', 'htpasswd bcrypt');
    const c = f(`backup${i}/etc/shadow`);
    c.add(`root:$6$${g.s('an', 16)}$${g.s('an', 86)}:19700:0:99999:7:::`, 'password-hash', '/etc/shadow sha512');
    c.add(`daemon:*:19700:0:99999:7:::\nbin:*:19700:0:99999:7:::\nnobody:!:19700::::::`);
  },
  connectionStrings(g, f, i) {
    const b = f(`docs/runbooks/db-${i}.md`);
    b.add(`# Database access\n\nUse the read replica for reports:\n\n\`\`\`\n`);
    b.add(
      `psql "postgresql://${g.user()}:${g.s('an', 20)}@${g.host()}:5432/reports?sslmode=require"`,
      'connection-string',
      'postgres URI',
    );
    b.add(
      `mongosh "mongodb+srv://${g.user()}:${g.s('an', 18)}@cluster0.${g.s('lowernum', 5)}.mongodb.net/app"`,
      'connection-string',
      'mongodb URI',
    );
    b.add(
      `jdbc:sqlserver://${g.host()}:1433;databaseName=core;user=${g.user()};password=${g.s('an', 16)};encrypt=true`,
      'connection-string',
      'JDBC password',
    );
    b.add(
      `DRIVER={ODBC Driver 18 for SQL Server};SERVER=${g.host()};DATABASE=dw;UID=${g.user()};PWD=${g.s('an', 15)}`,
      'connection-string',
      'ODBC string',
    );
    b.add(`\`\`\`\n\nAsk #data-platform for access.`);
  },
  privateKeys(g, f, i) {
    const b = f(`deploy/keys${i}/id_rsa`);
    b.add(g.pem('RSA PRIVATE KEY'), 'private-key', 'PEM file');
    const c = f(`deploy/keys${i}/service-account.json`);
    c.add(
      `{\n  "type": "service_account",\n  "project_id": "acme-${g.s('lowernum', 6)}",\n  "private_key_id": ` +
        `"${g.s('hex', 40)}",`,
    );
    c.add(
      `  "private_key": "${jsonInner(g.pem('PRIVATE KEY') + '\n')}",`,
      'private-key',
      'PEM joined with \\n in JSON',
    );
    c.add(`  "client_email": "deployer@acme.iam.gserviceaccount.com"\n}`);
  },
  encoded(g, f, i) {
    // One layer of encoding: base64 (a Kubernetes Secret holding a .dockerconfigjson and an env
    // file), percent-encoding (an access log), JSON string escapes (a notebook).
    const b = f(`k8s/${i}/secret.yaml`);
    const dockercfg = JSON.stringify({
      auths: { 'registry.internal': { auth: Buffer.from(`${g.user()}:${g.secret()}`).toString('base64') } },
    });
    b.add(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:`);
    b.add(`  .dockerconfigjson: ${Buffer.from(dockercfg).toString('base64')}`, 'secret', 'base64 .dockerconfigjson');
    b.add(
      `  app.env: ${Buffer.from(`DB_HOST=${g.host()}\nDB_PASSWORD=${g.password()}\n`).toString('base64')}`,
      'password',
      'base64 env file',
    );
    const l = f(`logs/access-${i}.log`);
    for (let k = 0; k < 5; k++)
      l.add(
        `10.0.${g.int(0, 9)}.${g.int(2, 250)} - - [12/Mar/2025:10:${10 + k}:01 +0000] "GET ` +
          `/static/app.${g.s('hex', 8)}.js HTTP/1.1" 200 ${g.int(200, 90000)}`,
      );
    l.add(
      `10.0.3.7 - - [12/Mar/2025:10:20:44 +0000] "POST ` +
        `/login?user=${g.user()}&password=${encodeURIComponent(g.password() + '/=&')} HTTP/1.1" 302 0`,
      'password',
      'percent-encoded password in a log',
    );
    const n = f(`notebooks/analysis-${i}.ipynb`);
    const src = [
      `import openai_client\n`,
      `api_key = "${g.secret()}"\n`,
      `client = openai_client.Client(api_key=api_key)`,
    ];
    n.add(
      `{\n "cells": [\n  {\n   "cell_type": "code",\n   "execution_count": 1,\n   "metadata": {},\n   "outputs": ` +
        `[],\n   "source": [`,
    );
    n.add(`    ${JSON.stringify(src[0])},`);
    n.add(`    ${JSON.stringify(src[1])},`, 'secret', 'notebook JSON-escaped');
    n.add(
      `    ${JSON.stringify(src[2])}\n   ]\n  }\n ],\n "metadata": {"kernelspec": {"name": "python3"}},\n ` +
        `"nbformat": 4,\n "nbformat_minor": 5\n}`,
    );
  },
  ci(g, f, i) {
    const b = f(`.github/workflows/deploy-${i}.yml`);
    b.add(
      `name: deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n ` +
        `     - uses: actions/checkout@v4\n      - run: ./deploy.sh\n        env:\n          TOKEN: \${{ ` +
        `secrets.DEPLOY_TOKEN }}\n          AWS_REGION: eu-west-1`,
    );
    b.add(`          SLACK_WEBHOOK_SECRET: ${g.secret()}`, 'secret', 'CI env secret');
    const c = f(`ci${i}/.gitlab-ci.yml`);
    c.add(`variables:\n  DOCKER_DRIVER: overlay2`);
    c.add(`  REGISTRY_PASSWORD: "${g.password()}"`, 'password', 'gitlab-ci variable');
    c.add(
      `build:\n  script:\n    - docker login -u gitlab-ci-token -p $CI_JOB_TOKEN $CI_REGISTRY\n    - docker build ` +
        `-t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHA .`,
    );
  },
  polyglot(g, f, i) {
    const rs = f(`crates/svc${i}/src/config.rs`);
    rs.add(`use std::env;\n\npub const TIMEOUT_SECS: u64 = 30;`);
    rs.add(`pub const API_TOKEN: &str = "${g.secret()}";`, 'secret', 'rust &str const');
    rs.add(
      `pub fn db_password() -> String {\n    env::var("DB_PASSWORD").unwrap_or_default()\n}\nlet password: String = ` +
        `read_password()?;`,
    );
    const ts = f(`web/src/config/keys${i}.ts`);
    ts.add(`export const region: string = 'eu-west-1';`);
    ts.add(`export const stripeSecret: string = '${g.secret()}';`, 'secret', 'ts annotated const');
    ts.add(
      `export const token: string = await getToken();\nexport const password: string | undefined = ` +
        `process.env.DB_PASSWORD;`,
    );
    const kt = f(`android/app${i}/src/main/java/Config.kt`);
    kt.add(`object Config {\n    const val TIMEOUT = 30`);
    kt.add(
      `    const val SMTP_PASSWORD: String = "${g.password().replace(/["$\\]/g, 'q')}"`,
      'password',
      'kotlin const val',
    );
    kt.add(`    val apiKey: String get() = BuildConfig.API_KEY\n}`);
    const sw = f(`ios/App${i}/Secrets.swift`);
    sw.add(`enum Secrets {`);
    sw.add(`    static let apiKey = "${g.s('an', 32)}${g.int(1, 9)}"`, 'secret', 'swift static let');
    sw.add(`    static let apiKeyName = "X-Api-Key"\n}`);
    const cs = f(`src/Service${i}/Settings.cs`);
    cs.add(`public static class Settings {`);
    cs.add(
      `    public const string AdminPassword = "${g.password().replace(/["\\{}]/g, 'q')}";`,
      'password',
      'c# const string',
    );
    cs.add(`    public static string Password => Environment.GetEnvironmentVariable("ADMIN_PASSWORD");\n}`);
    const ps = f(`ops/windows/setup${i}.ps1`);
    ps.add(`$user = "CORP\\svc_backup"`);
    ps.add(
      `$pw = ConvertTo-SecureString "${g.s('an', 16)}" -AsPlainText -Force`,
      'password',
      'powershell SecureString',
    );
    ps.add(
      `$cred = New-Object System.Management.Automation.PSCredential($user, $pw)\n$secure = Read-Host ` +
        `-AsSecureString -Prompt "Password"`,
    );
    const sql = f(`db/migrations/00${i}_users.sql`);
    sql.add(`-- reporting role\nCREATE ROLE reporting;`);
    sql.add(`CREATE USER 'etl'@'%' IDENTIFIED BY '${g.s('an', 18)}';`, 'password', 'SQL IDENTIFIED BY');
    sql.add(`ALTER ROLE reporting WITH PASSWORD '${g.s('an', 15)}';`, 'password', 'SQL WITH PASSWORD');
    sql.add(
      `GRANT SELECT ON ALL TABLES IN SCHEMA public TO reporting;\nALTER ROLE app WITH PASSWORD :'app_password';`,
    );
    const df = f(`images/api${i}/Dockerfile`);
    df.add(`FROM node:20-alpine\nWORKDIR /app\nARG NPM_TOKEN\nENV NODE_ENV=production`);
    df.add(`ENV DB_PASSWORD ${g.s('an', 16)}`, 'password', 'Dockerfile ENV space form');
    df.add(`COPY . .\nRUN --mount=type=secret,id=npmrc npm ci\nCMD ["node", "server.js"]`);
    const px = f(`conf/app${i}/db-properties.xml`);
    px.add(
      `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE properties SYSTEM ` +
        `"http://java.sun.com/dtd/properties.dtd">\n<properties>\n  <entry ` +
        `key="db.url">jdbc:postgresql://${g.host()}/app</entry>`,
    );
    px.add(`  <entry key="db.password">${g.s('an', 14)}</entry>`, 'password', 'Java properties XML entry');
    px.add(`</properties>`);
    const s3 = f(`home/u${i}/.s3cfg`);
    s3.add(`[default]\naccess_key = ${g.s('uppernum', 20)}\nhost_base = s3.internal`);
    s3.add(`secret_key = ${g.s('b64', 40)}`, 'secret', '.s3cfg secret_key');
    const pypirc = f(`home/u${i}/.pypirc`);
    pypirc.add(
      `[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pypi.internal/simple\nusername = ` +
        `${g.user()}`,
    );
    pypirc.add(`password = ${g.password()}`, 'password', '.pypirc password');
    const k8s = f(`k8s/${i}/app-secret.yaml`);
    k8s.add(`apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:`);
    k8s.add(`  DATABASE_PASSWORD: "${g.password()}"`, 'password', 'k8s stringData');
    k8s.add(`  LOG_LEVEL: info`);
  },
  headers(g, f, i) {
    const b = f(`docs/api/requests-${i}.http`);
    b.add(`### list items\nGET https://api.vendor.internal/v1/items\nAccept: application/json`);
    b.add(`Authorization: Bearer ${g.s('an', 40)}`, 'secret', 'Authorization Bearer');
    b.add(`\n### with basic auth`);
    b.add(
      `curl -H "Authorization: Basic ${Buffer.from(`${g.user()}:${g.password()}`).toString('base64')}" ` +
        `https://jenkins.internal/api/json`,
      'secret',
      'Authorization Basic',
    );
  },
};
