// A countdown that stops while the browser is offline: the user cannot act on a code
// they cannot submit, so we do not show it running out. It counts to a deadline on the
// clock rather than counting ticks, so a throttled background tab (or a test's
// fast-forwarded clock) shows the true time left.
import { useEffect, useRef, useState } from "preact/hooks";
import { useOnline } from "./online";

export function useCountdown(seconds: number, restartKey: unknown) {
  const online = useOnline();
  const deadline = useRef(Date.now() + seconds * 1000);
  const frozen = useRef<number | null>(null);
  const [, setTick] = useState(0);
  const restarted = useRef(restartKey);
  if (restarted.current !== restartKey) {
    restarted.current = restartKey;
    deadline.current = Date.now() + seconds * 1000;
    frozen.current = online ? null : seconds;
  }
  // Offline: hold the time left; back online: the deadline moves by the time spent offline.
  if (!online && frozen.current === null) frozen.current = Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000));
  if (online && frozen.current !== null) {
    deadline.current = Date.now() + frozen.current * 1000;
    frozen.current = null;
  }
  const left = frozen.current ?? Math.max(0, Math.ceil((deadline.current - Date.now()) / 1000));
  useEffect(() => {
    if (!online || left <= 0) return;
    // Wake at the next whole second of the deadline.
    const id = setTimeout(() => setTick((n) => n + 1), ((deadline.current - Date.now()) % 1000) + 20);
    return () => clearTimeout(id);
  });
  return { left, paused: !online };
}

export const formatSeconds = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
