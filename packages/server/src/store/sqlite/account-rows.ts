import type { AccountTransaction } from '../../chat/account-rules.js';
import type { AccountQueries } from './account-queries.js';
import type { LinkCodeQueries } from './link-code-queries.js';

/** The rows the account rules read and write, as SQLite statements; valid inside a write transaction only. */
export function accountRows(accounts: AccountQueries, linkCodes: LinkCodeQueries): AccountTransaction {
  return {
    userIdByUsername: (username) => accounts.userIdByUsername(username),
    insertUser: (user) => accounts.insertUser(user),
    getUser: (userId) => accounts.getUser(userId),
    updateUser: (userId, patch) => accounts.updateUser(userId, patch),
    streamHead: (userId) => accounts.streamHead(userId),
    countDevices: (userId) => accounts.countDevices(userId),
    insertDevice: (device, ackedPos) => accounts.insertDevice(device, ackedPos),
    linkCode: (codeHash) => linkCodes.linkCode(codeHash),
    deleteLinkCode: (codeHash) => linkCodes.deleteLinkCode(codeHash),
  };
}
