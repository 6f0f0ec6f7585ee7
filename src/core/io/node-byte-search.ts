/**
 * Installs Node's Buffer search (memchr) as the line splitter's newline search
 * (formats/byte-search.ts). Imported for its effect by the modules that read files: the
 * loader and a range's reader in its worker thread. Buffer's indexOf takes any Uint8Array as
 * `this`, so chunks stay plain Uint8Arrays (a Buffer's `slice` would share memory where the
 * readers expect a copy).
 */
import { Buffer } from 'node:buffer';
import { installByteSearch } from '../formats/byte-search';

const bufferIndexOf = Buffer.prototype.indexOf;

installByteSearch((buf, byte, from) => bufferIndexOf.call(buf, byte, from));
