import { html, nothing } from 'lit';
import type { WidgetStrings } from '../strings/strings.js';
import type { PrechatField } from './prechat-field.js';

type Submit = (event: SubmitEvent) => void;

/** C3: the configured pre-chat fields; the page's hidden fields are added on submit. */
export function prechatForm(t: WidgetStrings, fields: readonly PrechatField[], error: string | undefined, submit: Submit) {
  return html`<form @submit=${submit}>
    <p>${t.prechatIntro}</p>
    ${fields.map(
      (field) => html`<label>${field.label}${field.required ? html`<span class="visually-hidden"> (${t.required})</span>` : nothing}
        <input name=${field.name} type=${field.type ?? 'text'} ?required=${field.required ?? false} autocomplete=${field.type === 'email' ? 'email' : field.name === 'name' ? 'name' : 'off'} />
      </label>`,
    )}
    ${error ? html`<p role="alert">${error}</p>` : nothing}
    <button type="submit">${t.startChat}</button>
  </form>`;
}

/** C2: the leave-a-message form, for when nobody can answer. */
export function offlineForm(t: WidgetStrings, error: string | undefined, submit: Submit) {
  return html`<form @submit=${submit}>
    <h3>${t.offlineTitle}</h3>
    <p>${t.offlineIntro}</p>
    <label>${t.name}<input name="name" required autocomplete="name" /></label>
    <label>${t.email}<input name="email" type="email" required autocomplete="email" /></label>
    <label>${t.message}<textarea name="text" required rows="4"></textarea></label>
    ${error ? html`<p role="alert">${error}</p>` : nothing}
    <button type="submit">${t.sendMessage}</button>
  </form>`;
}
