// Success messages as toasts: one polite live region that exists from the first paint
// (screen readers only announce changes to a region they already know), so a message
// added later is read out. Errors do not go here: they stay next to their field.
import { signal, useSignal } from "../signal";

type Toast = { id: number; text: string };
const toasts = signal<Toast[]>([]);
let next = 1;

/** Shows `text` for a few seconds and announces it. */
export function toast(text: string): void {
  if (!text) return;
  const id = next++;
  toasts.set([...toasts.get(), { id, text }]);
  setTimeout(() => toasts.set(toasts.get().filter((t) => t.id !== id)), 6000);
}

export function Toasts() {
  const list = useSignal(toasts);
  return (
    <div class="toasts" role="status" aria-live="polite" aria-atomic="false">
      {list.map((t) => (
        <p class="toast" key={t.id}>
          {t.text}
        </p>
      ))}
    </div>
  );
}
