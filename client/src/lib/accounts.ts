// Account administration for the admin panel (client/src/components/AccountsPanel.svelte):
// list, disable or re-enable, end sessions. The server checks the role; this only calls.
import type { Role } from './registry.ts';
import { call } from './registry.ts';

export interface Account {
  id: number;
  email: string;
  name: string;
  role: Role;
  region: string | null;
  disabled: boolean;
  schemes: string[];
  sessions: number;
}

export const accounts = {
  list: () => call<{ users: Account[] }>('GET', '/api/users').then((r) => r.data.users),
  setDisabled: (id: number, disabled: boolean) =>
    call<{ user: Account }>('PATCH', `/api/users/${id}`, { body: { disabled } }).then((r) => r.data.user),
  endSessions: (id: number) => call<{ ended: number }>('DELETE', `/api/users/${id}/sessions`).then((r) => r.data.ended),
};
