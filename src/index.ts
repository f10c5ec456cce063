// Worker entry: HTTP (Hono app), queue consumer, cron. Exports the Durable Objects.
import { buildApp } from "./app";
import { handleMessageBatch } from "./messages/consumer";
import type { OutboundMessage } from "./messages/message";

export { Limiter } from "./guard/limiter";
export { SessionFence } from "./guard/session-fence";
// RPC for other Workers through a service binding (README "Use from another Worker").
export { AuthService } from "./rpc";

const app = buildApp();

export default {
  fetch: app.fetch,
  queue: (batch, env) => handleMessageBatch(batch as MessageBatch<OutboundMessage>, env),
  scheduled: async () => {
    // Retention and purge jobs are added here (see README "Maintenance").
  },
} satisfies ExportedHandler<Env, OutboundMessage>;
