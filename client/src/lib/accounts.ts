// Account administration for the admin panel (client/src/components/AccountsPanel.svelte):
// list, disable or re-enable, end sessions. The server checks the role; this only calls.
import { endpoints as accounts_, type Account } from '../../../contract/accounts.ts';
import { fetchJson } from './http.ts';

export type { Account };

export const accounts = {
  list: () => fetchJson(accounts_.list).then((r) => r.users),
  setDisabled: (id: number, disabled: boolean) =>
    fetchJson(accounts_.setDisabled, { params: { id }, body: { disabled } }).then((r) => r.user),
  endSessions: (id: number) => fetchJson(accounts_.endSessions, { params: { id } }).then((r) => r.ended),
};
