/** A 1×1 PNG as a File, made here (no fixture download). */
export function pngFile(name = 'photo.png'): File {
  const bytes = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=='), (char) => char.charCodeAt(0));
  return new File([bytes], name, { type: 'image/png' });
}

/** Resolves with the image once the browser has loaded and decoded it; rejects when it cannot. */
export function loadImage(url: string): Promise<HTMLImageElement> {
  const image = new Image();
  const loaded = new Promise<HTMLImageElement>((resolve, reject) => {
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error(`the image at ${url} did not load`));
  });
  image.src = url;
  return loaded;
}
