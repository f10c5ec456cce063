// A countdown that stops while the browser is offline: the user cannot act on a code
// they cannot submit, so we do not show it running out. Ticks once a second.
import { useEffect, useState } from "preact/hooks";
import { useOnline } from "./online";

export function useCountdown(seconds: number, restartKey: unknown) {
  const [left, setLeft] = useState(seconds);
  const online = useOnline();
  useEffect(() => setLeft(seconds), [restartKey, seconds]);
  useEffect(() => {
    if (!online || left <= 0) return;
    const id = setTimeout(() => setLeft((s) => Math.max(0, s - 1)), 1000);
    return () => clearTimeout(id);
  }, [online, left]);
  return { left, paused: !online };
}

export const formatSeconds = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
