<?php
$title = html_entity_decode($row['title'], ENT_QUOTES, 'UTF-8');
echo htmlspecialchars($title);
