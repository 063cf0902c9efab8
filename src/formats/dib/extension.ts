/** What only a dib element list says, kept under `extensions.dib`. */
export interface DibExtension {
  /** the elements asked for, then every element the expansion built, in the order reached */
  asked: string[];
  elements: string[];
  /** names no folder of the search path holds */
  missing?: string[];
  /** variables as far as they could be read statically (image environment, then environment.d) */
  environment?: Record<string, string>;
  /** per installed package: the element, and the package-installs settings the IR has no field for */
  packageDetails?: Record<string, { element: string; phase?: string; mappedFrom?: string }>;
  /** packages whose conditions imgc could not decide, with why */
  conditionalPackages?: { element: string; name: string; why: string }[];
  /** block-device configurations (element block-device-*.yaml files, DIB_BLOCK_DEVICE_CONFIG) */
  blockDevice?: { from: string; config: unknown }[];
  /** element entries the IR has no field for, as element/entry */
  other?: string[];
  /** image-list keys the IR has no field for */
  image?: Record<string, unknown>;
}

export const EXTENSION_ID = 'dib';
