/**
 * The shapes of ids that callers send in paths and headers, checked before they reach a key. One place,
 * because the API's router, its schemas and authentication (keys, agent tokens, the WebSocket) all check them.
 */

/** Ids in paths: ULIDs here, but any short token of safe characters is accepted (and simply not found). */
export const ID_PATTERN = /^[0-9A-Za-z_-]{1,64}$/;
/** Agent ids (X-Agent-Id, assignee): short, printable, no separators of the key scheme. */
export const AGENT_ID_PATTERN = /^[\w.@:+-]{1,128}$/;
