// Realistic fake secrets, generated at run time from a seeded PRNG so that no secret-shaped literal
// lives in the repository (secret scanners stay quiet) and every run sees the same values.

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64URL = ALNUM + '-_';
const B64 = ALNUM + '+/';
const UPPER_DIGIT = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const HEX = '0123456789abcdef';
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Password characters that survive unquoted in env files, YAML and logfmt (no quotes/space/backslash). */
const PASSWORD = ALNUM + '!#%*+-.@^_~/=:?';
const URL_SAFE = ALNUM + '-._~';

export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  pick(chars: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += chars[Math.floor(this.next() * chars.length)];
    return s;
  }
  /** Random string that contains at least one upper, lower and digit (real keys always do). */
  mixed(chars: string, n: number): string {
    for (;;) {
      const s = this.pick(chars, n);
      if (/[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s)) return s;
    }
  }
}

/** A token-shaped secret: the whole value is sensitive and recognisable on its own. */
export interface TokenFake {
  kind: string;
  value: string;
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const uuid = (r: Rng): string =>
  `${r.pick(HEX, 8)}-${r.pick(HEX, 4)}-4${r.pick(HEX, 3)}-a${r.pick(HEX, 3)}-${r.pick(HEX, 12)}`;

export function tokenFakes(r: Rng): TokenFake[] {
  const jwt = (): string =>
    `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(
      `{"sub":"${r.pick(DIGITS, 10)}","name":"svc-${r.pick(LETTERS, 6)}","iat":${1700000000 + Math.floor(r.next() * 1e7)}}`,
    )}.${r.pick(B64URL, 43)}`;
  return [
    { kind: 'anthropic-key', value: `sk-ant-api03-${r.mixed(B64URL, 93)}AA` },
    { kind: 'anthropic-key', value: `sk-ant-admin01-${r.mixed(B64URL, 93)}AA` },
    { kind: 'openai-key', value: `sk-${r.mixed(ALNUM, 20)}T3BlbkFJ${r.mixed(ALNUM, 20)}` },
    { kind: 'openai-key', value: `sk-proj-${r.mixed(B64URL, 74)}T3BlbkFJ${r.mixed(B64URL, 74)}` },
    {
      kind: 'openai-key',
      value: `sk-svcacct-${r.mixed(B64URL, 74)}T3BlbkFJ${r.mixed(B64URL, 74)}`,
    },
    { kind: 'context7-key', value: `ctx7sk-${uuid(r)}` },
    { kind: 'perplexity-key', value: `pplx-${r.mixed(ALNUM, 48)}` },
    { kind: 'xai-key', value: `xai-${r.mixed(ALNUM, 80)}` },
    { kind: 'google-api-key', value: `AIza${r.mixed(B64URL, 35)}` },
    ...['ghp', 'gho', 'ghu', 'ghs', 'ghr'].map((p) => ({
      kind: 'github-token',
      value: `${p}_${r.mixed(ALNUM, 36)}`,
    })),
    { kind: 'github-pat', value: `github_pat_${r.mixed(ALNUM, 22)}_${r.mixed(ALNUM, 59)}` },
    {
      kind: 'slack-token',
      value: `xoxb-${r.pick(DIGITS, 12)}-${r.pick(DIGITS, 13)}-${r.mixed(ALNUM, 24)}`,
    },
    {
      kind: 'slack-token',
      value: `xoxp-${r.pick(DIGITS, 12)}-${r.pick(DIGITS, 12)}-${r.pick(DIGITS, 13)}-${r.pick(HEX, 32)}`,
    },
    { kind: 'slack-token', value: `xoxa-2-${r.pick(DIGITS, 12)}-${r.pick(HEX, 32)}` },
    { kind: 'slack-token', value: `xoxr-${r.pick(DIGITS, 12)}-${r.mixed(ALNUM, 40)}` },
    {
      kind: 'slack-token',
      value: `xoxs-${r.pick(DIGITS, 12)}-${r.pick(DIGITS, 12)}-${r.pick(HEX, 64)}`,
    },
    { kind: 'aws-access-key', value: `AKIA${r.pick(UPPER_DIGIT, 16)}` },
    { kind: 'aws-access-key', value: `ASIA${r.pick(UPPER_DIGIT, 16)}` },
    { kind: 'jwt', value: jwt() },
    { kind: 'jwt', value: jwt() },
    { kind: 'gitlab-token', value: `glpat-${r.mixed(B64URL, 20)}` },
    { kind: 'npm-token', value: `npm_${r.mixed(ALNUM, 36)}` },
    { kind: 'huggingface-token', value: `hf_${r.pick(LETTERS, 34)}` },
    { kind: 'stripe-key', value: `sk_live_${r.mixed(ALNUM, 99)}` },
  ];
}

/** An opaque secret with no recognisable shape: only its context (key, header, URL) gives it away. */
export const opaque = (r: Rng, n = 24): string => r.mixed(PASSWORD, n);
export const urlSafe = (r: Rng, n = 24): string => r.mixed(URL_SAFE, n);
export const awsSecret = (r: Rng): string => r.mixed(B64, 40);
export const bearerOpaque = (r: Rng): string => r.mixed(B64URL, 40);
export const basicAuth = (r: Rng): string =>
  Buffer.from(`svc-user:${r.mixed(ALNUM, 20)}`).toString('base64');

/** A PEM private key of the given label with 64-column base64 body lines. */
export function pem(r: Rng, label: string, lines = 12): { text: string; body: string[] } {
  const body = Array.from({ length: lines }, () => r.mixed(B64, 64));
  body.push(r.mixed(B64, 20) + '==');
  return {
    text: [`-----BEGIN ${label}-----`, ...body, `-----END ${label}-----`].join('\n'),
    body,
  };
}

export function discordWebhook(r: Rng): { url: string; secret: string } {
  const secret = r.mixed(B64URL, 68);
  return { url: `https://discord.com/api/webhooks/${r.pick(DIGITS, 19)}/${secret}`, secret };
}

export function slackWebhook(r: Rng): { url: string; secret: string } {
  const secret = r.mixed(ALNUM, 24);
  return {
    url: `https://hooks.slack.com/services/T${r.pick(UPPER_DIGIT, 8)}/B${r.pick(UPPER_DIGIT, 10)}/${secret}`,
    secret,
  };
}
