/** A search parameter the client got wrong: Tempo answers 400 with this text. */
export class BadSearchParameter extends Error {}
