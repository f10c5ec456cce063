// Invitations: send one by email with a role, resend or revoke the pending ones
// (invitations:manage).
import { useEffect, useState } from "preact/hooks";
import { formatDate, language, useI18n } from "../../i18n";
import { Card, FormStatus, Submit, TextField } from "../../ui/fields";
import { toast } from "../../ui/toast";
import { useForm } from "../../ui/use-form";
import * as o from "../org-api";
import { actionError } from "../pages/shared";
import { useRoles } from "./access";

export function InvitationsCard({ org }: { org: o.Org }) {
  const t = useI18n();
  const [pending, setPending] = useState<o.Invitation[]>([]);
  const [error, setError] = useState("");
  const { roles } = useRoles(org, true);
  const load = () => void o.listInvitations(org.id).then((r) => r.ok && setPending(r.data.invitations));
  useEffect(load, [org.id]);
  const form = useForm(`org-invite-${org.id}`, { email: "", role: "" });
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void form.submit(
      (v) => o.sendInvitation(org.id, v.email.trim(), v.role || roles.find((r) => r.key !== "owner")?.key || "", language.get()),
      (inv) => {
        form.set("email", "");
        load();
        return t("orgs.invited", { email: inv.email });
      },
    );
  };
  const act = async (inv: o.Invitation, what: "resend" | "revoke") => {
    const r = what === "resend" ? await o.resendInvitation(org.id, inv.id) : await o.revokeInvitation(org.id, inv.id);
    setError(actionError(r));
    if (r.ok) toast(what === "resend" ? t("orgs.resent", { email: inv.email }) : t("orgs.revoked", { email: inv.email }));
    load();
  };
  return (
    <Card title={t("orgs.invitations")} id="org-invitations">
      <form onSubmit={onSubmit} noValidate>
        <TextField
          id="invite-email"
          type="email"
          label={t("field.email")}
          required
          value={form.values.email}
          onValue={(v) => form.set("email", v)}
          error={form.fieldErrors.email}
        />
        <div class="field">
          <label for="invite-role">{t("orgs.role")}</label>
          <select
            id="invite-role"
            value={form.values.role || roles.find((r) => r.key !== "owner")?.key || ""}
            onChange={(e) => form.set("role", e.currentTarget.value)}
          >
            {roles.map((r) => (
              <option key={r.key} value={r.key}>
                {r.name}
              </option>
            ))}
          </select>
        </div>
        <FormStatus status={form.status} message={form.message} />
        <Submit status={form.status}>{t("orgs.invite")}</Submit>
      </form>
      {pending.length ? <h3>{t("orgs.pending")}</h3> : null}
      <ul class="list">
        {pending.map((inv) => (
          <li key={inv.id} class="session">
            <div>
              <strong>{inv.email}</strong>
              <div class="hint">
                {inv.role} · {t("orgs.expires", { when: formatDate(inv.expiresAt) })}
              </div>
            </div>
            <button type="button" class="secondary" onClick={() => void act(inv, "resend")} aria-label={t("orgs.resendNamed", { email: inv.email })}>
              {t("orgs.resend")}
            </button>
            <button type="button" class="secondary" onClick={() => void act(inv, "revoke")} aria-label={t("orgs.revokeNamed", { email: inv.email })}>
              {t("orgs.revoke")}
            </button>
          </li>
        ))}
      </ul>
      {error ? (
        <p role="alert" class="form-status error">
          {error}
        </p>
      ) : null}
    </Card>
  );
}
