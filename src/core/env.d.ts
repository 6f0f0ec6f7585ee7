// The WHATWG text codecs exist in every runtime core runs in (Node >= 11, workers, browsers),
// but core compiles without DOM or Node typings so it cannot reach for either by accident.
// Only the members core uses are declared.
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
