// The timers under a code field: how long the code stays valid (paused offline: a code
// that cannot be submitted is not shown running out) and when a new one may be asked
// for. The resend wait comes from the server's answer (its RateLimit header when the
// send used up the budget, or Retry-After on a refusal), never a guess, so the button
// never offers a resend the server would refuse. A resend asked for offline is sent when
// the connection returns, and the page says so.
import { useState } from "preact/hooks";
import type { ApiResult } from "../api";
import { problemMessage, useI18n } from "../i18n";
import { formatSeconds, useCountdown } from "./countdown";
import { useWhenOnline } from "./online";

const CODE_LIFETIME_S = 600;
/** Resend is offered no sooner than this even when the server has no cooldown. */
const RESEND_FLOOR_S = 30;

type Resender = ReturnType<typeof useResend>;

/**
 * `send` asks for a new code. Call `sent(result)` after the page's own first send, so
 * the timers start from the server's answer to it.
 */
export function useResend(send: () => Promise<ApiResult<unknown>>, successText: string) {
  const t = useI18n();
  const [sentAt, setSentAt] = useState(() => Date.now());
  const [wait, setWait] = useState({ seconds: RESEND_FLOOR_S, key: 0 });
  const [note, setNote] = useState("");
  const queued = useWhenOnline();
  const cool = (seconds: number) => setWait((w) => ({ seconds, key: w.key + 1 }));

  const sent = (r?: ApiResult<unknown>) => {
    setSentAt(Date.now());
    cool(Math.max(RESEND_FLOOR_S, (r?.ok && r.retryAfter) || 0));
  };
  const resend = async (): Promise<void> => {
    if (queued.current) return;
    const r = navigator.onLine === false ? ({ ok: false, offline: true } as const) : await send();
    if (!r.ok && r.offline) {
      queued.current = () => void resend();
      setNote(t("verify.resendQueued"));
      return;
    }
    if (r.ok) {
      sent(r);
      setNote(successText);
    } else {
      if (r.problem.retryAfter) cool(r.problem.retryAfter);
      setNote(problemMessage(r.problem));
    }
  };
  return { sentAt, wait, note, resend, sent };
}

export function CodeTimers({ resender }: { resender: Resender }) {
  const t = useI18n();
  const expiry = useCountdown(CODE_LIFETIME_S, resender.sentAt);
  const cool = useCountdown(resender.wait.seconds, resender.wait.key);
  return (
    <div class="timers">
      <p class="countdown" aria-live="off">
        {expiry.left > 0 ? t("verify.expiresIn", { time: formatSeconds(expiry.left) }) : t("verify.expired")}
        {expiry.paused ? <span class="paused"> {t("verify.paused")}</span> : null}
      </p>
      {cool.left > 0 ? (
        <p class="hint">{t("verify.resendIn", { time: formatSeconds(cool.left) })}</p>
      ) : (
        <button type="button" class="link" onClick={() => void resender.resend()}>
          {t("verify.resend")}
        </button>
      )}
      <p role="status">{resender.note}</p>
    </div>
  );
}
