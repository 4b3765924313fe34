/** A JSON object parsed from untrusted text by core's `parseStrictJsonObject`: plain, own properties only. */
export type JsonObject = Readonly<Record<string, unknown>>;
