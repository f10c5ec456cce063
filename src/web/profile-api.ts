// API calls of the profile page and the account lifecycle (README "Profile and account
// lifecycle"). The avatar upload goes through XMLHttpRequest: fetch cannot report upload
// progress.
import { api, type ApiResult, type Problem } from "./api";
import type { SignInResponse } from "../contract/auth";
import type { AvatarUploaded, DeletionScheduled, Preferences, Profile } from "../contract/me";
import { accessToken, refreshSession } from "./session";

export type { Preferences };
export type ProfilePatch = { name?: string | null; username?: string | null; locale?: "en" | "es" | null; timeZone?: string | null };

export const updateProfile = (patch: ProfilePatch) => api<Profile>("/api/me", { method: "PATCH", json: patch, auth: true });
export const removeAvatar = () => api("/api/me/avatar", { method: "DELETE", auth: true });
export const getPreferences = () => api<Preferences>("/api/me/preferences", { auth: true });
export const setPreferences = (patch: Partial<Preferences> | { notifications: { newDevice: boolean } }) =>
  api<Preferences>("/api/me/preferences", { method: "PATCH", json: patch, auth: true });
export const requestEmailChange = (newEmail: string) => api("/api/me/email", { json: { newEmail }, auth: true });
export const confirmEmailChange = (code: string) => api<Profile>("/api/me/email/verify", { json: { code }, auth: true });
export const revertEmailChange = (token: string) => api("/api/auth/email-change/revert", { json: { token } });
export const deactivateAccount = () => api("/api/me/deactivate", { method: "POST", auth: true });
export const scheduleDeletion = () => api<DeletionScheduled>("/api/me", { method: "DELETE", auth: true });
export const cancelDeletion = () => api("/api/me/deletion/cancel", { method: "POST", auth: true });
export const reactivate = (reactivationToken: string) => api<SignInResponse>("/api/auth/reactivate", { json: { reactivationToken } });

/** The server's limits, checked first here so a wrong file fails before it is sent. */
export const AVATAR_TYPES = ["image/png", "image/jpeg", "image/webp"];
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** PUT the raw file with its type; `onProgress` gets 0..1. One retry after a refresh, like api(). */
export function uploadAvatar(file: Blob, onProgress: (fraction: number) => void, retried = false): Promise<ApiResult<AvatarUploaded>> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", "/api/me/avatar");
    xhr.setRequestHeader("content-type", file.type);
    const token = accessToken();
    if (token) xhr.setRequestHeader("authorization", `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => resolve({ ok: false, offline: true });
    xhr.onload = async () => {
      if (xhr.status === 401 && !retried && (await refreshSession())) return resolve(uploadAvatar(file, onProgress, true));
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true, status: xhr.status, data: body as { avatarUrl: string } });
      const p = (body ?? {}) as Partial<Problem>;
      resolve({ ok: false, problem: { status: xhr.status, code: p.code ?? `http_${xhr.status}`, title: p.title ?? "", detail: p.detail, errors: p.errors } });
    };
    xhr.send(file);
  });
}

/** Downloads GET /api/me/export as a file (it needs the bearer token, so not a plain link). */
export async function downloadExport(): Promise<ApiResult<null>> {
  let res: Response;
  try {
    res = await fetch("/api/me/export", { headers: { authorization: `Bearer ${accessToken() ?? ""}` }, cache: "no-store" });
  } catch {
    return { ok: false, offline: true };
  }
  if (!res.ok) {
    const p = (await res.json().catch(() => ({}))) as Partial<Problem>;
    return { ok: false, problem: { status: res.status, code: p.code ?? `http_${res.status}`, title: p.title ?? "", detail: p.detail } };
  }
  const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? "account-export.json";
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await res.blob());
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { ok: true, status: 200, data: null };
}
