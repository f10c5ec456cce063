// Avatar objects in R2 (binding AVATARS). Keys are random (a new upload, a new key), so
// a URL never changes meaning and can be cached forever. The content type stored is
// the one read from the bytes (src/auth/image-probe.ts), never the client's.
import type { ImageType } from "../auth/image-probe";

const objectKey = (key: string) => `avatars/${key}`;

export async function putAvatar(env: Env, key: string, bytes: Uint8Array, type: ImageType): Promise<void> {
  await env.AVATARS.put(objectKey(key), bytes, { httpMetadata: { contentType: type } });
}

export function getAvatar(env: Env, key: string): Promise<R2ObjectBody | null> {
  return env.AVATARS.get(objectKey(key));
}

/** Idempotent: deleting a missing object is not an error (R2 semantics). */
export async function deleteAvatar(env: Env, key: string): Promise<void> {
  await env.AVATARS.delete(objectKey(key));
}
