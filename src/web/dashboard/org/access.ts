// Who may do what in an organization, as the page decides what to show (the server
// decides regardless), and the role list the cards that grant roles share.
import { useEffect, useState } from "preact/hooks";
import * as o from "../org-api";

export const can = (org: o.Org, p: string) => org.role === "owner" || org.permissions.includes(p);

export function useRoles(org: o.Org, enabled: boolean) {
  const [roles, setRoles] = useState<o.Role[]>([]);
  const load = () => void (enabled ? o.listRoles(org.id).then((r) => r.ok && setRoles(r.data.roles)) : undefined);
  useEffect(load, [org.id]);
  return { roles, reload: load };
}
