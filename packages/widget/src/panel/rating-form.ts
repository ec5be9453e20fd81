import { html, nothing } from 'lit';
import type { WidgetStrings } from '../strings/strings.js';

type Submit = (event: SubmitEvent) => void;
// The comment's limit is the protocol's LIMITS.ratingCommentLength (1000): the widget does not ship the protocol package.

/**
 * I3: after the chat, 1 to 5 stars (radio buttons: arrow keys move between them) and an optional comment.
 * Once the transcript holds a rating, a thank-you instead.
 */
export function ratingForm(t: WidgetStrings, rated: boolean, error: string | undefined, submit: Submit) {
  if (rated) return html`<p part="rating" role="status">${t.rateThanks}</p>`;
  return html`<form part="rating" @submit=${submit}>
    <fieldset>
      <legend>${t.rateTitle}</legend>
      ${[1, 2, 3, 4, 5].map(
        (score) => html`<label><input type="radio" name="score" value=${score} required aria-label=${t.rateStars(score)} /><span aria-hidden="true">★</span></label>`,
      )}
    </fieldset>
    <label>${t.rateComment}<textarea name="comment" rows="2" maxlength="1000"></textarea></label>
    ${error ? html`<p role="alert">${error}</p>` : nothing}
    <button type="submit">${t.rateSend}</button>
  </form>`;
}
