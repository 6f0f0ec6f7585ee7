/** The built-in lifecycle models, by name (`ktl lifecycle --model af-xdp|skb`). */
import { compileModel, type LifecycleModel, type LifecycleModelJson } from '../model';
import { AF_XDP_MODEL } from './af-xdp';
import { SKB_MODEL } from './skb';

export const BUILTIN_MODEL_JSON: readonly LifecycleModelJson[] = [AF_XDP_MODEL, SKB_MODEL];

const compiled = new Map<string, LifecycleModel>();

export function builtinModelNames(): string[] {
  return BUILTIN_MODEL_JSON.map((m) => m.name);
}

/** The compiled built-in model `name`, or undefined. */
export function builtinModel(name: string): LifecycleModel | undefined {
  let m = compiled.get(name);
  if (!m) {
    const json = BUILTIN_MODEL_JSON.find((j) => j.name === name);
    if (!json) return undefined;
    m = compileModel(json, `builtin:${name}`, true);
    compiled.set(name, m);
  }
  return m;
}
