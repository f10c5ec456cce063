// The phone step of the phone policy (OAUTH_REQUIRE_PHONE): a social account must verify
// a phone before anything else. Same phone and code inputs as everywhere else; once
// /api/me/phone/verify succeeds the session is refreshed (the server then issues a
// complete token) and the user continues to where they were going.
import { safePath } from "../completion";
import { useI18n } from "../i18n";
import { location, navigate } from "../router";
import { refreshSession } from "../session";
import { useSignal } from "../signal";
import { Card } from "../ui/fields";
import { PhoneVerifier } from "../ui/phone-verifier";

export function PhoneStepPage() {
  const t = useI18n();
  const loc = useSignal(location);
  const returnTo = safePath(loc.query.get("returnTo"));
  return (
    <Card>
      <h1>{t("phoneStep.title")}</h1>
      <p>{t("phoneStep.intro")}</p>
      <PhoneVerifier
        id="phone-step"
        onVerified={async () => {
          // The server completed this session; a refresh swaps the restricted token for a full one.
          await refreshSession();
          navigate(returnTo, { replace: true });
        }}
      />
    </Card>
  );
}
