// Registers the <ms-*> tags, then starts Vue: nothing wraps the elements.
import '../../src/elements/define/index.js';
import {createApp} from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
