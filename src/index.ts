// Worker entry: HTTP (Hono app), queue consumer, cron. Exports the Durable Objects.
import { buildApp } from "./app";
import { runMaintenance } from "./auth/maintenance";
import { handleMessageBatch } from "./messages/consumer";
import type { OutboundMessage } from "./messages/message";

export { Limiter } from "./objects/limiter";
export { SessionFence } from "./objects/session-fence";
// RPC for other Workers through a service binding (README "Use from another Worker").
export { AuthService } from "./rpc";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleMessageBatch(batch as MessageBatch<OutboundMessage>, env),
  // Daily: audit retention and purge of expired rows (README "Abuse protection").
  scheduled: async (_controller, env, ctx) => {
    ctx.waitUntil(runMaintenance(env));
  },
} satisfies ExportedHandler<Env, OutboundMessage>;
