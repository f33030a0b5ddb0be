type Payload = Record<string, unknown>;

/** The adapter interface oidc-provider calls, one instance per model name. */
export interface OidcAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Models whose entries belong to a grant, so revoking the grant removes them. */
const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken']);

/**
 * An oidc-provider adapter factory over one in-memory store per provider instance. Memory is the
 * right store here: the signing key is made per process, so no token or session could outlive a
 * restart anyway. (The library's own memory adapter is a quick start that warns at start and evicts
 * past 1,000 entries.) Entries stay `clockToleranceSeconds` past their expiry, so the provider itself
 * tells an expired code from an unknown one. There is no user-code index: the device flow is off.
 */
export function createMemoryAdapter(clockToleranceSeconds = 0): (model: string) => OidcAdapter {
  const entries = new Map<string, { payload: Payload; expiresAt: number }>();
  const grants = new Map<string, Set<string>>();
  const sessionsByUid = new Map<string, string>();

  const get = (key: string): Payload | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt > Date.now()) return entry.payload;
    entries.delete(key);
    return undefined;
  };
  // Drops expired entries on every write, so a long `npm start` does not grow without bound.
  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const [grantId, members] of grants) {
      for (const key of members) if (!entries.has(key)) members.delete(key);
      if (members.size === 0) grants.delete(grantId);
    }
    for (const [uid, id] of sessionsByUid) if (!entries.has(`Session:${id}`)) sessionsByUid.delete(uid);
  };

  return (model) => ({
    upsert: async (id, payload, expiresIn) => {
      const key = `${model}:${id}`;
      const expiresAt =
        typeof expiresIn === 'number'
          ? Date.now() + (expiresIn + clockToleranceSeconds) * 1000
          : Number.POSITIVE_INFINITY;
      entries.set(key, { payload, expiresAt });
      if (model === 'Session' && typeof payload.uid === 'string') sessionsByUid.set(payload.uid, id);
      if (GRANTABLE.has(model) && typeof payload.grantId === 'string') {
        grants.set(payload.grantId, (grants.get(payload.grantId) ?? new Set()).add(key));
      }
      sweep();
    },
    find: async (id) => get(`${model}:${id}`),
    findByUid: async (uid) => {
      const id = sessionsByUid.get(uid);
      return id === undefined ? undefined : get(`${model}:${id}`);
    },
    findByUserCode: async () => undefined,
    consume: async (id) => {
      const payload = get(`${model}:${id}`);
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    },
    destroy: async (id) => {
      entries.delete(`${model}:${id}`);
    },
    revokeByGrantId: async (grantId) => {
      for (const key of grants.get(grantId) ?? []) entries.delete(key);
      grants.delete(grantId);
    },
  });
}
