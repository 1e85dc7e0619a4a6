// Registers the <ms-*> tags, then starts Vue: nothing wraps the elements. The demo's own stylesheet, as the other pages.
import '../../src/elements/define/index.js';
import '../demo.css';
import {createApp} from 'vue';
import App from './App.vue';

createApp(App).mount('#app');
