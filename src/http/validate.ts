// Request validation with zod schemas through @hono/zod-validator. The same schema
// objects feed the OpenAPI document (src/http/openapi.ts), so the docs cannot drift from
// what is enforced. Unknown fields are stripped (no mass assignment); failures become
// 400 `validation_failed` with one entry per bad field.
import { zValidator } from "@hono/zod-validator";
import type { Context } from "hono";
import type * as z from "zod/mini";
import { ApiError, type FieldError } from "../errors";

function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
}

export function parseOrThrow<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError("validation_failed", { errors: fieldErrors(result.error) });
  return result.data;
}

/**
 * application/json or any application/*+json, with or without parameters: the same rule
 * as Hono's json validator (which zValidator runs), so the two can never disagree.
 */
const isJsonContentType = (type: string | undefined) => /^application\/([\w.-]+\+)?json$/i.test((type ?? "").split(";")[0]!.trim());

/**
 * Reads a JSON body: wrong content type -> 415, malformed JSON -> 400 invalid_json.
 * A text/plain or form body is what a cross-site <form> can send without a CORS
 * preflight, so it is refused, never parsed. With `optional`, an empty body is undefined.
 */
export async function readJsonBody(c: Context, options: { optional?: boolean } = {}): Promise<unknown> {
  const text = await c.req.text();
  if (options.optional && !text.trim()) return undefined;
  if (!isJsonContentType(c.req.header("content-type"))) throw new ApiError("unsupported_media_type");
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json");
  }
}

/** zValidator's hook: a failed parse is our problem+json, never its default JSON dump. */
const refuseInvalid = (result: { success: true } | { success: false; error: z.core.$ZodError }) => {
  if (!result.success) throw new ApiError("validation_failed", { errors: fieldErrors(result.error) });
};

/**
 * Validates a JSON body against a schema. Hono's json validator treats a non-JSON
 * content type as an empty body (which would turn a client bug into confusing field
 * errors) and reports malformed JSON as a generic 400; so the body is checked first
 * (415, 400 invalid_json) and only then handed to zValidator, which reads it from
 * Hono's body cache.
 */
export const jsonBody = <S extends z.ZodMiniType>(schema: S) => {
  const validate = zValidator("json", schema, refuseInvalid);
  return (async (c, next) => {
    await readJsonBody(c);
    return validate(c, next);
  }) as typeof validate;
};

export const queryParams = <S extends z.ZodMiniType>(schema: S) => zValidator("query", schema, refuseInvalid);
