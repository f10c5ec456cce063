// Shared by every page: the frame, forms and fields, the password meter, phone channels, status pages, the re-authentication dialog.
export const common = {
  "app.name": "Edge Auth",
  "app.skip": "Skip to content",
  "app.language": "Language",
  "app.signOut": "Sign out",
  "app.offline": "You are offline. What you type is kept; forms are sent when the connection returns.",
  "app.loading": "Loading…",
  "app.updateReady": "A new version is available. Reload to update.",

  "form.loading": "Sending…",
  "form.offlineQueued": "You are offline. We will send this as soon as the connection returns.",
  "form.fixErrors": "Please check the highlighted fields.",
  "form.required": "This field is required.",
  "form.show": "Show",
  "form.hide": "Hide",
  "form.showPassword": "Show password",

  "field.email": "Email address",
  "field.password": "Password",
  "field.newPassword": "New password",
  "field.currentPassword": "Current password",
  "field.name": "Name (optional)",
  "field.code": "6-digit code",
  "field.codeHint": "Enter the code we sent you. You can paste the whole code.",
  "field.phone": "Phone number",
  "field.country": "Country",
  "field.keepOtherSessions": "Keep my other devices signed in",

  "strength.label": "Password strength",
  "strength.tooShort": "Too short: {n} of {min} characters",
  "strength.weak": "Weak: avoid repeats, sequences and common words",
  "strength.fair": "Fair",
  "strength.good": "Good",
  "strength.strong": "Strong",

  "notFound.title": "Page not found",
  "notFound.body": "There is nothing at this address.",
  "notFound.home": "Go to the start page",

  "reauth.title": "Confirm it's you",
  "reauth.why": "This change needs a recent sign-in. Enter your password, or a code from your authenticator app.",
  "reauth.failed": "That did not work. Try again.",
  "reauth.useCode": "Use an authenticator app code instead",
  "reauth.usePassword": "Use your password instead",
  "reauth.confirm": "Confirm",
  "reauth.cancel": "Cancel",

  "forbidden.title": "Not allowed",
  "forbidden.body": "Your account cannot open this page.",
  "forbidden.home": "Go to your dashboard",

  "form.offlineAction": "You are offline. Try again when the connection returns.",

  "field.countryHint": "Search by name, calling code (+44) or country code (GB).",
  "field.noCountry": "No country matches.",
  "field.phoneHint": "A number starting with + or 00 is read as international, whatever the country.",

  "form.cancel": "Cancel",

  "channel.legend": "Send the code by",
  "channel.sms": "Text message (SMS)",
  "channel.whatsapp": "WhatsApp",
  "channel.telegram": "Telegram",
} as const;
