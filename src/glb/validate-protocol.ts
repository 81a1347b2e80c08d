/** Messages between the inspector and its validation worker (structured-clone safe). */

export interface ValidateRequest {
  path: string;
  maxIssues: number;
}

export interface ValidatorIssue {
  code: string;
  message: string;
  severity: number;
  pointer?: string;
  offset?: number;
}

export type Bounds = { min: [number, number, number]; max: [number, number, number] } | null;

export type ValidateResult =
  | { kind: 'valid'; numWarnings: number; bounds: Bounds }
  | { kind: 'invalid'; numErrors: number; errors: ValidatorIssue[] }
  /** gltf-validator refused the bytes outright (not glTF at all). */
  | { kind: 'rejected'; message: string }
  /** Our own code failed (I/O, a bug): not the uploader's fault. */
  | { kind: 'crashed'; message: string };
