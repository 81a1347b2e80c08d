/** One HDRI environment preset, as listed by `GET /v1/hdris`. */
export interface HdriPreset {
  slug: string;
  title: string;
  category: string;
  /** Recommended `hdri_exposure` for this environment. */
  recommended_exposure: number;
  /** Public path of the environment file, e.g. `/assets/hdri/studio.exr`. */
  file_url: string;
  format: 'exr' | 'hdr';
  /** Public path of a small preview image. */
  preview_url: string | null;
  /** Set when this slug is an alias of another bundled environment. */
  alias_of: string | null;
  source: 'bundled' | 'operator';
}

/** The presets that really exist on this server (bundled + operator-supplied files). */
export interface HdriCatalog {
  list(): Promise<HdriPreset[]>;
  find(slug: string): Promise<HdriPreset | null>;
}
