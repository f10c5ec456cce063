// Request validation with zod schemas. The same schema objects feed the OpenAPI
// document (src/http/openapi.ts), so the docs cannot drift from what is enforced.
// Unknown fields are stripped (no mass assignment); failures become 400
// `validation_failed` with one entry per bad field.
import type { Context, MiddlewareHandler } from "hono";
import { validator } from "hono/validator";
import * as z from "zod/mini";
import type { AppEnv } from "../env";
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

/** application/json or any application/*+json, with or without parameters. */
const isJsonContentType = (type: string | undefined) => /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type ?? "");

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

/**
 * Validates a JSON body against a schema. Hono's own json validator treats a non-JSON
 * content type as an empty body, which would turn a client bug into confusing field
 * errors; this says what is wrong.
 */
export const jsonBody = <S extends z.ZodMiniType>(schema: S): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> =>
  async (c, next) => {
    c.req.addValidatedData("json", parseOrThrow(schema, await readJsonBody(c)) as {});
    await next();
  };

export const queryParams = <S extends z.ZodMiniType>(schema: S) =>
  validator("query", (value): z.output<S> => parseOrThrow(schema, value));
