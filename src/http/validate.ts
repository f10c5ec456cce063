// Request validation with zod schemas. The same schema objects feed the OpenAPI
// document (src/http/openapi.ts), so the docs cannot drift from what is enforced.
// Unknown fields are stripped (no mass assignment); failures become 400
// `validation_failed` with one entry per bad field.
import { validator } from "hono/validator";
import * as z from "zod/mini";
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
export const isJsonContentType = (type: string | undefined) => /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type ?? "");

/**
 * Validates a JSON body. Wrong content type -> 415, malformed JSON -> 400 invalid_json.
 * Both are decided here, before Hono's validator: it parses the body itself and would
 * turn malformed JSON into a generic HTTPException (validation_failed). `c.req.json()`
 * caches the parsed body, so the validator below reuses it rather than parsing again.
 */
export const jsonBody = <S extends z.ZodMiniType>(schema: S) => {
  const validate = validator("json", (value): z.output<S> => parseOrThrow(schema, value));
  const guarded: typeof validate = async (c, next) => {
    if (!isJsonContentType(c.req.header("content-type"))) throw new ApiError("unsupported_media_type");
    try {
      await c.req.json();
    } catch {
      throw new ApiError("invalid_json");
    }
    return validate(c, next);
  };
  return guarded;
};

export const queryParams = <S extends z.ZodMiniType>(schema: S) =>
  validator("query", (value): z.output<S> => parseOrThrow(schema, value));
