// navigator.onLine as a hook, updated by the online/offline events; and the one way to
// run something queued while offline when the connection returns.
import { useEffect, useRef, useState } from "preact/hooks";

export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine !== false);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine !== false);
    addEventListener("online", update);
    addEventListener("offline", update);
    return () => {
      removeEventListener("online", update);
      removeEventListener("offline", update);
    };
  }, []);
  return online;
}

/**
 * A slot for one action to run at the next `online` event (a form submission, a code
 * resend asked for offline). The listener is added once for the component's life, never
 * per render: the `online` event itself re-renders the page (useOnline above), and a
 * listener re-added by that render's effect is removed in the middle of the dispatch it
 * waits for; the DOM skips a listener removed mid-dispatch and does not call one added
 * during it, so the queued action would be lost.
 */
export function useWhenOnline() {
  const queued = useRef<(() => void) | null>(null);
  useEffect(() => {
    const run = () => {
      const action = queued.current;
      queued.current = null;
      action?.();
    };
    addEventListener("online", run);
    return () => removeEventListener("online", run);
  }, []);
  return queued;
}
