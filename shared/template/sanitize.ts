const DNS_NAME_LENGTH = 53;

/**
 * A DNS-safe name (DESIGN §4): lowercase; every run of characters outside [0-9a-z] becomes "-";
 * cut to 53 characters (room for suffixes within a 63-character label); then leading and trailing
 * "-" trimmed, so a cut that ends on a dash does not leave one.
 */
export function sanitizeDNSName(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^0-9a-z]+/g, "-")
    .slice(0, DNS_NAME_LENGTH)
    .replace(/^-+|-+$/g, "");
}
