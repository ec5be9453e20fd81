import { ParleyRatings } from './parley-ratings.component.js';

if (!customElements.get('parley-ratings')) customElements.define('parley-ratings', ParleyRatings);

export { ParleyRatings };

declare global {
  interface HTMLElementTagNameMap {
    'parley-ratings': ParleyRatings;
  }
}
