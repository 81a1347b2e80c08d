/** Opaque ids and secrets. A port so tests can make ids deterministic. */
export interface IdGenerator {
  /** e.g. id('mdl') → `mdl_4kQ9…` */
  id(prefix: string): string;
  /** Random base62 string of `length` characters from a CSPRNG. */
  secret(length: number): string;
}
