<?php
$handler = match ($_GET['view'] ?? 'list') { 'list' => 'render_list', 'item' => 'render_item', default => 'render_404' };
if (function_exists($handler)) echo $handler((int) ($_GET['id'] ?? 0));
