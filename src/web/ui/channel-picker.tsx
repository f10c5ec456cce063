// How a code goes to a phone: only the channels the server has configured
// (GET /api/auth/phone/options), and nothing to choose when there is just one.
import type { PhoneChannel } from "../flows";
import { useI18n } from "../i18n";

export function ChannelPicker({ channels, value, onChoose }: { channels: PhoneChannel[]; value: PhoneChannel; onChoose: (c: PhoneChannel) => void }) {
  const t = useI18n();
  if (channels.length < 2) return null;
  return (
    <fieldset class="segmented">
      <legend>{t("channel.legend")}</legend>
      {channels.map((c) => (
        <label key={c}>
          <input type="radio" name="phone-channel" value={c} checked={value === c} onChange={() => onChoose(c)} /> {t(`channel.${c}`)}
        </label>
      ))}
    </fieldset>
  );
}
