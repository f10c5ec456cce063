// Form state shared by every page: values (non-secret ones kept in sessionStorage so a
// reload or a crash loses nothing typed), loading / success / error states, field errors
// from problem+json `errors[]`, and offline submissions queued until the network returns.
import { useEffect, useState } from "preact/hooks";
import type { ApiResult, Problem } from "../api";
import { problemMessage, t } from "../i18n";
import { useWhenOnline } from "./online";

export type Status = "idle" | "loading" | "offline" | "success" | "error";
type Values = Record<string, string | boolean>;

const draftKey = (id: string) => `edge-auth.draft.${id}`;

function readDraft(id: string): Values {
  try {
    return JSON.parse(sessionStorage.getItem(draftKey(id)) ?? "{}") as Values;
  } catch {
    return {};
  }
}

export function clearDraft(id: string): void {
  try {
    sessionStorage.removeItem(draftKey(id));
  } catch {
    /* storage may be unavailable (private mode): nothing to clear */
  }
}

export function useForm<V extends Values>(id: string, initial: V, options: { persist?: (keyof V)[] } = {}) {
  const persist = options.persist ?? [];
  const [values, setValues] = useState<V>(() => ({ ...initial, ...pick(readDraft(id), persist as string[]) }));
  const [status, setStatus] = useState<Status>("idle");
  const [message, setMessage] = useState<string>("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<Problem | null>(null);
  const pending = useWhenOnline();

  // Passwords and codes never touch storage: only the fields named in `persist`.
  useEffect(() => {
    if (!persist.length) return;
    try {
      sessionStorage.setItem(draftKey(id), JSON.stringify(pick(values, persist as string[])));
    } catch {
      /* quota or private mode: the in-memory state still holds the input */
    }
  }, [values]);

  const set = (name: keyof V, value: string | boolean) => {
    setValues((v) => ({ ...v, [name]: value }));
    if (fieldErrors[name as string]) setFieldErrors((e) => ({ ...e, [name as string]: "" }));
    // An answer about the old input no longer applies once it is edited.
    if (status === "error") {
      setStatus("idle");
      setMessage("");
      setProblem(null);
    }
  };

  // What an input bound to one value needs: <TextField id="…" label={…} {...form.field("email")} />.
  const field = <K extends keyof V & string>(name: K) => ({
    value: values[name],
    onValue: (v: V[K]) => set(name, v),
    error: fieldErrors[name],
  });

  /** `onSuccess` may return (or resolve to) a string: the success message shown. */
  async function submit<T>(send: (values: V) => Promise<ApiResult<T>>, onSuccess?: (data: T) => unknown) {
    if (status === "loading") return;
    setStatus("loading");
    setMessage("");
    setProblem(null);
    const result = navigator.onLine === false ? ({ ok: false, offline: true } as const) : await send(values);
    if (!result.ok && result.offline) {
      // Keep everything as typed and send again once the browser is back online.
      pending.current = () => void submit(send, onSuccess);
      setStatus("offline");
      setMessage(t("form.offlineQueued"));
      return;
    }
    pending.current = null;
    if (!result.ok) {
      const errs: Record<string, string> = {};
      for (const e of result.problem.errors ?? []) errs[e.path.split(".")[0] || "_"] ??= e.message;
      setFieldErrors(errs);
      setProblem(result.problem);
      setStatus("error");
      setMessage(problemMessage(result.problem));
      return;
    }
    setFieldErrors({});
    const note = await onSuccess?.(result.data);
    setStatus("success");
    setMessage(typeof note === "string" ? note : "");
  }

  return { values, set, field, status, message, fieldErrors, setFieldErrors, problem, submit, setStatus, setMessage };
}

function pick(v: Values, keys: string[]): Values {
  const out: Values = {};
  for (const k of keys) if (k in v) out[k] = v[k]!;
  return out;
}
