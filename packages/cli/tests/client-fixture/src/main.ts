import { createApp } from './app.js';

createApp().listen({ port: 0, host: '127.0.0.1' }).then((url) => console.log(url));
