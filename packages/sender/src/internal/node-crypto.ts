/** The parts of `node:crypto` the sender's fast path and PEM parsing use. */
export type NodeCrypto = Pick<
  typeof import('node:crypto'),
  'createPrivateKey' | 'createPublicKey' | 'sign' | 'KeyObject'
>;

let loading: Promise<NodeCrypto | undefined> | undefined;

/**
 * `node:crypto` where the runtime has it (Node, Deno, Bun, workers with Node compatibility), else
 * `undefined`: the sender then signs with WebCrypto and takes JWK or CryptoKey keys only.
 */
export function loadNodeCrypto(): Promise<NodeCrypto | undefined> {
  loading ??= import('node:crypto').then(
    (module): NodeCrypto | undefined => (typeof module.sign === 'function' ? module : undefined),
    () => undefined,
  );
  return loading;
}
