// Runs in Node (not workerd; plain JS because the project's types are the Worker's): a real OpenID Connect server on 127.0.0.1 for the
// end-to-end social sign-in test. The Worker reaches it through its OIDC_ISSUER binding.
// A test chooses who signs in by adding `login_hint=<JSON claims>` to the authorize URL
// (the step a person would do on the provider's page); those claims are merged into the
// id_token issued for that code. With no hint the server's default subject is used.
import { Events, OAuth2Server } from "oauth2-mock-server";

export default async function setup() {
  const port = Number(process.env.OIDC_MOCK_PORT);
  const server = new OAuth2Server();
  await server.issuer.keys.generate("RS256");
  /** @type {Map<string, Record<string, unknown>>} */
  const claimsByCode = new Map();
  server.service.on(Events.BeforeAuthorizeRedirect, (redirect, req) => {
    const hint = req.query?.login_hint;
    const code = redirect.url.searchParams.get("code");
    if (typeof hint === "string" && code) claimsByCode.set(code, JSON.parse(hint));
  });
  server.service.on(Events.BeforeTokenSigning, (token, req) => {
    const claims = claimsByCode.get(String(req.body?.code ?? ""));
    if (claims) Object.assign(token.payload, claims);
  });
  await server.start(port, "127.0.0.1");
  // The issuer the Worker is configured with (the server would otherwise name "localhost").
  server.issuer.url = `http://127.0.0.1:${port}`;
  return async () => {
    await server.stop();
  };
}
