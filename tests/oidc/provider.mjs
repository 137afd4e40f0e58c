// A real OpenID provider for the tests and for trying single sign-on locally: panva's
// oidc-provider (OpenID Certified) with its development login screens, on loopback only.
//
//   node tests/oidc/provider.mjs [PORT]      (PORT 0 or absent: a free port)
//
// It prints one line, "OIDC provider ready at http://127.0.0.1:PORT", once the discovery
// document is served. The dev login screen accepts any password; the login is the account's
// subject (below), e.g. ada.lovelace for the demo admin. Clients: "tracker" (the app) and "other-client" (a second
// application, for tests that a token or code issued to someone else is refused). Both are
// "native" loopback clients, so the app's redirect URI may use any port on 127.0.0.1.
import http from 'node:http';
import process from 'node:process';

import Provider from 'oidc-provider';

// The people this provider knows. Subjects never change; emails may (see "moved").
export const ACCOUNTS = [
  { sub: 'owner-sub', email: 'owner@example.nhs.uk', email_verified: true, name: 'Olu Owner' },
  { sub: 'invitee-sub', email: 'invitee@example.nhs.uk', email_verified: true, name: 'Ira Invitee' },
  { sub: 'stranger-sub', email: 'stranger@nhs.net', email_verified: true, name: 'Sam Stranger' },
  { sub: 'unverified-sub', email: 'unverified@example.nhs.uk', email_verified: false, name: 'Uma Unverified' },
  // Claims the email of owner-sub's account: must never take that account over.
  { sub: 'imposter-sub', email: 'linked@example.nhs.uk', email_verified: true, name: 'Ivy Imposter' },
  // Linked earlier under another address, now known to the provider by a new one.
  { sub: 'moved-sub', email: 'new-address@nhs.net', email_verified: true, name: 'Mo Moved' },
  // People of the demo organisation (flask demo load), for trying sign-in by hand.
  { sub: 'ada.lovelace', email: 'admin@demo.nhs.uk', email_verified: true, name: 'Ada Lovelace' },
  { sub: 'olivia.brown', email: 'olivia.owner@demo.nhs.uk', email_verified: true, name: 'Olivia Brown' },
];

// Any other login is a person the provider knows but nobody invited: <login>@nhs.net.
function findAccountRecord(id) {
  const sub = String(id).trim().toLowerCase();
  return ACCOUNTS.find((account) => account.sub === sub)
    ?? { sub, email: `${sub.replace(/[^a-z0-9.-]/g, '')}@nhs.net`, email_verified: true, name: sub };
}

const secret = process.env.OIDC_TEST_CLIENT_SECRET ?? 'tracker-test-secret';
const loopback = {
  application_type: 'native',
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
};

const configuration = {
  clients: [
    {
      ...loopback,
      client_id: 'tracker',
      client_secret: secret,
      client_name: 'IMPACT action tracker',
      redirect_uris: ['http://127.0.0.1/auth/oidc/callback'],
      post_logout_redirect_uris: ['http://127.0.0.1/sign-in'],
    },
    {
      ...loopback,
      client_id: 'other-client',
      client_secret: 'other-client-secret',
      client_name: 'Another application',
      redirect_uris: ['http://127.0.0.1/auth/oidc/callback'],
    },
  ],
  async findAccount(ctx, id) {
    const record = findAccountRecord(id);
    return {
      accountId: record.sub,
      async claims() {
        return {
          sub: record.sub, email: record.email, email_verified: record.email_verified, name: record.name,
        };
      },
    };
  },
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  conformIdTokenClaims: false, // put email and name in the ID token, as NHSmail and Entra do
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['tracker-test-provider-cookie-key'] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600 },
};

const port = Number(process.argv[2] ?? process.env.OIDC_PORT ?? 0);
const server = http.createServer();
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, configuration);
  server.on('request', provider.callback());
  console.log(`OIDC provider ready at ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
