// Decoding of `POST /loki/api/v1/push` bodies in the JSON format Promtail and Alloy send:
// {"streams":[{"stream":{"app":"x"},"values":[["<unix ns>","line"], ["<ns>","line",{"meta":"x"}]]}]}
import { gunzipSync, inflateSync } from 'node:zlib';

export interface PushStream {
  stream: Record<string, string>;
  values: Array<[string, string]>;
}

export class PushError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function decodeBody(raw: Buffer, encoding: string | undefined): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === '' || enc === 'identity') return raw;
  try {
    if (enc === 'gzip') return gunzipSync(raw);
    if (enc === 'deflate') return inflateSync(raw);
  } catch (e) {
    throw new PushError(400, `failed to decompress request body: ${(e as Error).message}`);
  }
  throw new PushError(415, `unsupported content encoding: ${enc}`);
}

export function parsePushBody(contentType: string | undefined, body: Buffer): PushStream[] {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === '' || mediaType === 'application/x-protobuf') {
    // Real Loki would snappy-decode a protobuf PushRequest here; the simulator speaks JSON only.
    throw new PushError(
      415,
      'unsupported content type: the Loki simulator accepts only JSON pushes (Content-Type: application/json)',
    );
  }
  if (mediaType !== 'application/json')
    throw new PushError(415, `unsupported content type: ${mediaType}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new PushError(400, `error decoding push request: ${(e as Error).message}`);
  }
  const streams = (doc as { streams?: unknown }).streams;
  if (!Array.isArray(streams))
    throw new PushError(400, 'error decoding push request: missing "streams" array');
  return streams.map((s, i) => validateStream(s, i));
}

function validateStream(s: unknown, i: number): PushStream {
  const st = s as { stream?: unknown; values?: unknown };
  if (typeof st.stream !== 'object' || st.stream === null || Array.isArray(st.stream)) {
    throw new PushError(
      400,
      `error decoding push request: streams[${i}].stream must be an object of labels`,
    );
  }
  const labels = st.stream as Record<string, unknown>;
  const names = Object.keys(labels);
  if (names.length === 0)
    throw new PushError(400, 'error at least one label pair is required per stream');
  for (const n of names) {
    if (!LABEL_NAME.test(n))
      throw new PushError(400, `error parsing labels: invalid label name "${n}"`);
    if (typeof labels[n] !== 'string') {
      throw new PushError(
        400,
        `error decoding push request: label "${n}" must have a string value`,
      );
    }
  }
  if (!Array.isArray(st.values))
    throw new PushError(400, `error decoding push request: streams[${i}].values must be an array`);
  const values = st.values.map((v: unknown, j) => {
    if (
      !Array.isArray(v) ||
      v.length < 2 ||
      v.length > 3 ||
      typeof v[0] !== 'string' ||
      typeof v[1] !== 'string'
    ) {
      throw new PushError(
        400,
        `error decoding push request: streams[${i}].values[${j}] must be ["<unix epoch in nanoseconds>", "<log line>"]`,
      );
    }
    if (!/^\d+$/.test(v[0])) {
      throw new PushError(
        400,
        `error decoding push request: streams[${i}].values[${j}]: invalid timestamp "${v[0]}"`,
      );
    }
    return [v[0], v[1]] as [string, string];
  });
  return { stream: labels as Record<string, string>, values };
}
