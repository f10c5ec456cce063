// Avatars: upload (raw image body), remove, and serve. Stored in R2 under a random key
// per upload, so every URL is immutable and cached for a year; replacing one deletes the
// old object. Served from this origin as an image that cannot become a page: the content
// type is the one read from the bytes, nosniff, and a `sandbox` CSP.
import { Hono } from "hono";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { IMAGE_TYPES, probeImage, type ImageType } from "../auth/image-probe";
import { randomToken } from "../auth/secrets";
import { enforceRateLimit } from "../guard/rate-limit";
import { audit } from "../http/audit";
import { AVATAR_MAX_BYTES, requireUser } from "../http/guards";
import { describeRoute, describeRoutes } from "../http/openapi";
import { avatarUrl } from "../http/respond";
import { ID } from "../model/ids";
import { deleteAvatar, getAvatar, putAvatar } from "../storage/avatars";
import { replaceAvatarKey } from "../storage/profile";
import type { AvatarUploaded } from "../contract/me";

export const avatarUploadRoutes = new Hono<AppEnv>();
export const avatarRoutes = new Hono<AppEnv>();
describeRoutes(avatarUploadRoutes, { tags: ["Account"], auth: "bearer" });
describeRoutes(avatarRoutes, { tags: ["Account"] });
export const AVATAR_MAX_SIDE = 4096;

describeRoute(avatarUploadRoutes, {
  summary: `Upload the avatar: the raw image as the body, Content-Type image/png, image/jpeg or image/webp (checked against the bytes), at most ${AVATAR_MAX_BYTES / 1024 / 1024} MB and ${AVATAR_MAX_SIDE} px a side. Replaces any earlier one.`,
  responses: { 200: "{avatarUrl}", 400: "invalid_image", 413: "payload_too_large", 415: "unsupported_image_type" },
});
avatarUploadRoutes.put("/", requireUser({ checkSession: true }), async (c) => {
  const userId = c.get("userId")!;
  const declared = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!IMAGE_TYPES.includes(declared as ImageType)) throw new ApiError("unsupported_image_type");
  await enforceRateLimit(c, "me.avatar", { account: userId });
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const image = probeImage(bytes);
  if (!image || image.type !== declared) throw new ApiError("invalid_image", { detail: `The bytes are not a valid ${declared} image.` });
  if (image.width > AVATAR_MAX_SIDE || image.height > AVATAR_MAX_SIDE) {
    throw new ApiError("invalid_image", { detail: `Images are limited to ${AVATAR_MAX_SIDE} px a side (this one is ${image.width}x${image.height}).` });
  }

  const key = randomToken();
  await putAvatar(c.env, key, bytes, image.type);
  const old = await replaceAvatarKey(c.env, userId, key).catch(async (e) => {
    await deleteAvatar(c.env, key); // not linked to anyone: do not leave it behind
    throw e;
  });
  if (old) c.executionCtx.waitUntil(deleteAvatar(c.env, old));
  audit(c, {
    type: "avatar.changed",
    userId,
    sessionId: c.get("sessionId"),
    detail: { type: image.type, width: image.width, height: image.height, bytes: bytes.length },
  });
  c.header("cache-control", "no-store");
  return c.json({ avatarUrl: avatarUrl(key) } satisfies AvatarUploaded);
});

describeRoute(avatarUploadRoutes, {
  summary: "Remove the avatar (its object is deleted).",
  responses: { 204: "Removed (or there was none)" },
});
avatarUploadRoutes.delete("/", requireUser({ checkSession: true }), async (c) => {
  const userId = c.get("userId")!;
  await enforceRateLimit(c, "me.avatar", { account: userId });
  const old = await replaceAvatarKey(c.env, userId, null);
  if (old) {
    await deleteAvatar(c.env, old);
    audit(c, { type: "avatar.removed", userId, sessionId: c.get("sessionId") });
  }
  return c.body(null, 204);
});

// An avatar is public to whoever has its URL (like any profile picture), which only the
// API hands out. Other origins may embed it (<img>), hence a cross-origin resource policy.
const YEAR_SECONDS = 365 * 86400;
describeRoute(avatarRoutes, {
  summary: "An avatar image (immutable: a new upload has a new URL).",
  responses: { 200: "The image", 404: "not_found" },
});
avatarRoutes.get("/:key", async (c) => {
  const key = c.req.param("key");
  if (!ID.token256.test(key)) throw new ApiError("not_found");
  const object = await getAvatar(c.env, key);
  if (!object) throw new ApiError("not_found");
  const stored = object.httpMetadata?.contentType as ImageType | undefined;
  const headers = {
    // Only ever one of the three image types; anything else would be served as bytes.
    "content-type": stored && IMAGE_TYPES.includes(stored) ? stored : "application/octet-stream",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
    "cross-origin-resource-policy": "cross-origin",
    "cache-control": `public, max-age=${YEAR_SECONDS}, immutable`,
    etag: object.httpEtag,
  };
  if (c.req.header("if-none-match") === object.httpEtag) return new Response(null, { status: 304, headers });
  return new Response(object.body, { headers: { ...headers, "content-length": String(object.size) } });
});
