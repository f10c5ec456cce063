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

/** Validates a JSON body. Wrong content type -> 415, malformed JSON -> 400 invalid_json. */
export const jsonBody = <S extends z.ZodMiniType>(schema: S) =>
  validator("json", async (_value, c): Promise<z.output<S>> => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i.test(type)) throw new ApiError("unsupported_media_type");
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      throw new ApiError("invalid_json");
    }
    return parseOrThrow(schema, body);
  });

export const queryParams = <S extends z.ZodMiniType>(schema: S) =>
  validator("query", (value): z.output<S> => parseOrThrow(schema, value));
